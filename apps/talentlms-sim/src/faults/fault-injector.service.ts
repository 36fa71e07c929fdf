import type { PortalSettings } from '../config/sim.env';
import { PortalError, PortalErrors } from '../portal/portal.errors';
import { FaultsDto } from './faults.dto';

export type Faults = Omit<FaultsDto, 'timeoutAfterCommit'> & {
  timeoutAfterCommit?: FaultsDto['timeoutAfterCommit'];
};

export interface TimeoutFault {
  mode: 'hang' | 'drop';
  holdMs: number;
}

const DEFAULT_HOLD_MS = 120_000;

/** mulberry32: a small seeded generator, so a fault seed gives the same decisions every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `50` or `20-80` (SIM_LATENCY_MS) as a latency fault. */
export function parseLatency(text: string): Faults['latencyMs'] {
  const [min, max] = text.split('-').map(Number);
  if (max === undefined) return min || undefined;
  return { min, max: Math.max(min, max) };
}

/**
 * The fault switches and their decisions. Each decision draws from a generator seeded by
 * `seed` and restarted whenever the faults change: the same calls meet the same faults.
 */
export class FaultInjector {
  private faults: Faults = {};
  private random: () => number = Math.random;
  private errorNextLeft = 0;
  private timeoutNextLeft = 0;

  constructor(private readonly env: PortalSettings) {
    this.resetToEnv();
  }

  resetToEnv(): void {
    this.set({
      seed: this.env.SIM_FAULT_SEED,
      latencyMs: parseLatency(this.env.SIM_LATENCY_MS),
      errorRate: this.env.SIM_ERROR_RATE || undefined,
    });
  }

  set(faults: Faults): void {
    this.faults = JSON.parse(JSON.stringify(faults)) as Faults;
    this.random = seededRandom(this.faults.seed ?? this.env.SIM_FAULT_SEED);
    this.errorNextLeft = this.faults.errorNext ?? 0;
    this.timeoutNextLeft = this.faults.timeoutAfterCommit?.next ?? 0;
  }

  patch(faults: Faults): void {
    this.set({ ...this.current(), ...faults });
  }

  clear(): void {
    this.set({});
  }

  /** The switches, with `errorNext` / `timeoutAfterCommit.next` as what is left of them. */
  current(): Faults {
    const faults: Faults = { ...this.faults };
    if (faults.errorNext !== undefined) faults.errorNext = this.errorNextLeft;
    if (faults.timeoutAfterCommit?.next !== undefined) {
      faults.timeoutAfterCommit = { ...faults.timeoutAfterCommit, next: this.timeoutNextLeft };
    }
    return faults;
  }

  /** Domain inactive or API disabled: every call is refused. */
  refusal(): PortalError | undefined {
    if (this.faults.domainInactive) return PortalErrors.domainInactive();
    if (this.faults.apiDisabled) return PortalErrors.apiDisabled();
    return undefined;
  }

  latencyMs(endpoint: string, action: string): number {
    const latency = this.faults.latencyMs;
    if (latency === undefined || !this.targets(endpoint, action)) return 0;
    if (typeof latency === 'number') return latency;
    return latency.min + Math.floor(this.random() * (latency.max - latency.min + 1));
  }

  /** Answer this call 500 before the action runs? */
  injectError(endpoint: string, action: string): boolean {
    if (!this.targets(endpoint, action)) return false;
    if (this.errorNextLeft > 0) {
      this.errorNextLeft--;
      return true;
    }
    return this.draw(this.faults.errorRate);
  }

  /** Hold or drop the answer of this call after its action ran? */
  timeoutAfterCommit(endpoint: string, action: string): TimeoutFault | undefined {
    const fault = this.faults.timeoutAfterCommit;
    if (!fault || !this.targets(endpoint, action)) return undefined;
    const hit = this.timeoutNextLeft > 0 ? this.timeoutNextLeft-- > 0 : this.draw(fault.rate);
    return hit
      ? { mode: fault.mode ?? 'hang', holdMs: fault.holdMs ?? DEFAULT_HOLD_MS }
      : undefined;
  }

  private draw(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.random() < rate;
  }

  private targets(endpoint: string, action: string): boolean {
    const only = this.faults.actions;
    return !only || only.includes(endpoint) || only.includes(action);
  }
}
