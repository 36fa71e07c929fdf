import { readFileSync } from 'node:fs';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConflictError, InvalidInputError, NotFoundError } from '@talentsync/contracts';
import type { ReadinessCheck, ReadinessResult } from '@talentsync/shared/config';
import { PortalSettings, SimEnv, SimPlan } from '../config/sim.env';
import { parseSeed, SeedError } from '../store/portal-seed';
import { Seed } from '../store/seed-schema';
import { Portal } from './portal';
import { DEFAULT_PORTAL, portalNameProblem } from './portal-address';

export interface NewPortal {
  name: string;
  /** Defaults to SIM_API_KEY. */
  apiKey?: string;
  plan?: SimPlan;
  /** Calls an hour; null: none. Defaults to the plan's. */
  perHour?: number | null;
  per5Seconds?: number;
  seed?: unknown;
}

/**
 * Every portal of the simulator by name: the default one (SIM_* environment, SIM_SEED), which
 * always exists, and the ones created through /_sim/portals.
 */
@Injectable()
export class PortalRegistry implements OnModuleInit {
  private readonly portals = new Map<string, Portal>();
  private defaultPortal?: Portal;

  constructor(private readonly env: SimEnv) {}

  /** The default portal from SIM_SEED: a bad file stops the start, naming each problem. */
  onModuleInit(): void {
    const path = this.env.SIM_SEED;
    try {
      this.defaultPortal = new Portal(DEFAULT_PORTAL, this.env, path ? readSeedFile(path) : {});
    } catch (error) {
      if (!(error instanceof SeedError)) throw error;
      const lines = error.problems.map((p) => `  - ${p}`).join('\n');
      throw new Error(`SIM_SEED ${path} is not a valid seed:\n${lines}`);
    }
  }

  get default(): Portal {
    if (!this.defaultPortal) throw new Error('the portals are not loaded yet');
    return this.defaultPortal;
  }

  /** The portal of that name (the default one for undefined or `default`), or undefined. */
  find(name: string | undefined): Portal | undefined {
    if (name === undefined || name === DEFAULT_PORTAL) return this.default;
    return this.portals.get(name);
  }

  /** As find, for the admin API: 404 naming the portal when there is none. */
  get(name: string | undefined): Portal {
    const portal = this.find(name);
    if (!portal) throw new NotFoundError('Portal', String(name));
    return portal;
  }

  /** A new portal; a bad name, key, limit or seed creates nothing and says what is wrong. */
  create(request: NewPortal): Portal {
    const problem = portalNameProblem(request.name);
    if (problem) throw new InvalidInputError(problem, { fields: { name: [problem] } });
    if (this.find(request.name)) throw new ConflictError(`A portal named ${request.name} exists`);
    const settings: PortalSettings = {
      ...this.settingsOf(this.env),
      SIM_API_KEY: request.apiKey ?? this.env.SIM_API_KEY,
      SIM_PLAN: request.plan ?? this.env.SIM_PLAN,
      SIM_RATE_LIMIT_PER_HOUR:
        request.perHour === null
          ? undefined
          : (request.perHour ?? (request.plan ? undefined : this.env.SIM_RATE_LIMIT_PER_HOUR)),
      SIM_RATE_LIMIT_PER_5S: request.per5Seconds ?? this.env.SIM_RATE_LIMIT_PER_5S,
    };
    const seed = parseSeed(request.seed ?? {});
    const portal = new Portal(request.name, settings, seed, `${request.name}.talentlms.com`);
    this.portals.set(request.name, portal);
    return portal;
  }

  delete(name: string): void {
    if (name === DEFAULT_PORTAL) {
      throw new InvalidInputError('The default portal cannot be deleted (reset it instead)');
    }
    if (!this.portals.delete(name)) throw new NotFoundError('Portal', String(name));
  }

  /** The default portal first, then the others in creation order. */
  list(): Portal[] {
    return [this.default, ...this.portals.values()];
  }

  private settingsOf(env: SimEnv): PortalSettings {
    return {
      SIM_API_KEY: env.SIM_API_KEY,
      SIM_DATE_FORMAT: env.SIM_DATE_FORMAT,
      SIM_PLAN: env.SIM_PLAN,
      SIM_RATE_LIMIT_PER_HOUR: env.SIM_RATE_LIMIT_PER_HOUR,
      SIM_RATE_LIMIT_PER_5S: env.SIM_RATE_LIMIT_PER_5S,
      SIM_LATENCY_MS: env.SIM_LATENCY_MS,
      SIM_ERROR_RATE: env.SIM_ERROR_RATE,
      SIM_FAULT_SEED: env.SIM_FAULT_SEED,
    };
  }
}

/** SIM_SEED's seed, checked for shape (SeedError) and read as JSON (Error naming the file). */
function readSeedFile(path: string): Seed {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`SIM_SEED ${path} cannot be read as JSON: ${(error as Error).message}`);
  }
  return parseSeed(raw);
}

/** /health/ready: the simulator is ready once the default portal's seed is loaded. */
@Injectable()
export class SeedReadiness implements ReadinessCheck {
  readonly name = 'seed';

  constructor(private readonly portals: PortalRegistry) {}

  async check(): Promise<ReadinessResult> {
    return {
      up: this.portals.default.store.isLoaded,
      users: this.portals.default.store.users.length,
    };
  }
}
