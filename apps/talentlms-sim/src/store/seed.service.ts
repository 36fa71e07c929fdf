import { readFileSync } from 'node:fs';
import { Injectable, OnModuleInit } from '@nestjs/common';
import type { ReadinessCheck, ReadinessResult } from '@talentsync/shared/config';
import { SimClock } from '../clock/sim-clock.service';
import { SimEnv } from '../config/sim.env';
import {
  buildPortal,
  isPlain,
  mergeSeed,
  parseSeed,
  PortalSeed,
  SeedError,
  summarize,
  toSeed,
} from './portal-seed';
import { PortalStore } from './portal.store';
import { Seed } from './seed-schema';

export type SeedMode = 'replace' | 'merge';

/**
 * Loads the portal from SIM_SEED at start (a bad file stops the start, saying what is wrong),
 * and from the admin API; keeps the start seed so reset can return to it.
 */
@Injectable()
export class SeedService implements OnModuleInit {
  private initial: Seed = {};

  constructor(
    private readonly env: SimEnv,
    private readonly store: PortalStore,
    private readonly clock: SimClock,
  ) {}

  onModuleInit(): void {
    if (this.env.SIM_SEED) this.initial = this.readSeedFile(this.env.SIM_SEED);
    this.reset();
  }

  /** The portal as it started. */
  reset(): void {
    this.store.replace(this.build(this.initial));
  }

  /** Replaces (or merges into) the portal's data; a bad seed changes nothing. */
  apply(raw: unknown, mode: SeedMode) {
    const whole =
      mode === 'merge' && isPlain(raw) ? mergeSeed(toSeed(this.store.snapshot), raw) : raw;
    const data = this.build(parseSeed(whole));
    this.store.replace(data);
    return summarize(data);
  }

  state(): PortalSeed {
    return toSeed(this.store.snapshot);
  }

  private build(seed: Seed) {
    return buildPortal(seed, { dateFormat: this.env.SIM_DATE_FORMAT, nowSec: this.clock.nowSec() });
  }

  private readSeedFile(path: string): Seed {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`SIM_SEED ${path} cannot be read as JSON: ${(error as Error).message}`);
    }
    try {
      const seed = parseSeed(raw);
      this.build(seed);
      return seed;
    } catch (error) {
      if (!(error instanceof SeedError)) throw error;
      const lines = error.problems.map((p) => `  - ${p}`).join('\n');
      throw new Error(`SIM_SEED ${path} is not a valid seed:\n${lines}`);
    }
  }
}

/** /health/ready: the portal is ready once its seed is loaded. */
@Injectable()
export class SeedReadiness implements ReadinessCheck {
  readonly name = 'seed';

  constructor(private readonly store: PortalStore) {}

  async check(): Promise<ReadinessResult> {
    return { up: this.store.isLoaded, users: this.store.users.length };
  }
}
