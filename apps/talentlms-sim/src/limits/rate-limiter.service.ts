import { SimClock } from '../clock/sim-clock.service';
import type { PortalSettings, SimPlan } from '../config/sim.env';

/** Calls per hour by plan (API manual, "Rate limits"); null = no hourly limit. */
export const PLAN_LIMITS: Record<SimPlan, number | null> = {
  free: 50,
  small: 2_000,
  basic: 2_000,
  plus: 10_000,
  premium: 10_000,
  unlimited: null,
};

/** What `ratelimit` reports as the limit of a plan without one. */
export const UNLIMITED_REPORTED = 1_000_000;

const HOUR_MS = 3_600_000;
const FIVE_SECONDS_MS = 5_000;

export interface OverLimitAnswer {
  status: number;
  type: string;
  message: string;
  /** Send a Retry-After header. */
  retryAfter: boolean;
}

export const DEFAULT_OVER_LIMIT: OverLimitAnswer = {
  status: 429,
  type: 'api_error',
  message: 'API rate limit exceeded',
  retryAfter: true,
};

export interface LimitsChange {
  plan?: SimPlan;
  perHour?: number | null;
  per5Seconds?: number;
  overLimit?: Partial<OverLimitAnswer>;
}

export type Admission = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * The portal's API budget: a fixed hourly window by plan that starts with the first counted
 * call, and a sliding 5-second window (a ring of the last N admitted call times, so each call
 * costs O(1) whatever the limit). Times come from the sim's clock.
 */
export class RateLimiter {
  private plan: SimPlan;
  private perHour: number | null;
  private per5Seconds: number;
  private overLimit: OverLimitAnswer;
  private hourStart: number | null = null;
  private hourUsed = 0;
  private recent = new Float64Array(0);
  private recentCount = 0;
  private next = 0;

  constructor(
    private readonly env: PortalSettings,
    private readonly clock: SimClock,
  ) {
    this.resetToEnv();
  }

  resetToEnv(): void {
    this.plan = this.env.SIM_PLAN;
    this.perHour = this.env.SIM_RATE_LIMIT_PER_HOUR ?? PLAN_LIMITS[this.plan];
    this.per5Seconds = this.env.SIM_RATE_LIMIT_PER_5S;
    this.overLimit = { ...DEFAULT_OVER_LIMIT };
    this.resetWindows();
  }

  resetWindows(): void {
    this.hourStart = null;
    this.hourUsed = 0;
    this.recent = new Float64Array(this.per5Seconds);
    this.recentCount = 0;
    this.next = 0;
  }

  change(change: LimitsChange): void {
    if (change.plan !== undefined) {
      this.plan = change.plan;
      this.perHour = PLAN_LIMITS[change.plan];
    }
    if (change.perHour !== undefined) this.perHour = change.perHour;
    if (change.per5Seconds !== undefined && change.per5Seconds !== this.per5Seconds) {
      this.per5Seconds = change.per5Seconds;
      this.recent = new Float64Array(this.per5Seconds);
      this.recentCount = 0;
      this.next = 0;
    }
    this.overLimit = { ...this.overLimit, ...change.overLimit };
  }

  get overLimitAnswer(): OverLimitAnswer {
    return this.overLimit;
  }

  /** Counts the call when both windows allow it; otherwise says when one would be allowed. */
  admit(): Admission {
    const now = this.clock.nowMs();
    this.expireHour(now);
    if (this.perHour !== null && this.hourUsed >= this.perHour) {
      return { allowed: false, retryAfterMs: (this.hourStart ?? now) + HOUR_MS - now };
    }
    if (this.recentCount === this.per5Seconds) {
      const oldest = this.recent[this.next];
      if (now - oldest < FIVE_SECONDS_MS) {
        return { allowed: false, retryAfterMs: oldest + FIVE_SECONDS_MS - now };
      }
    }
    this.hourStart ??= now;
    this.hourUsed++;
    this.recent[this.next] = now;
    this.next = (this.next + 1) % this.per5Seconds;
    this.recentCount = Math.min(this.recentCount + 1, this.per5Seconds);
    return { allowed: true };
  }

  snapshot() {
    const now = this.clock.nowMs();
    this.expireHour(now);
    let fiveSecondsUsed = 0;
    for (let i = 0; i < this.recentCount; i++) {
      if (now - this.recent[i] < FIVE_SECONDS_MS) fiveSecondsUsed++;
    }
    return {
      plan: this.plan,
      perHour: this.perHour,
      per5Seconds: this.per5Seconds,
      overLimit: { ...this.overLimit },
      hour: {
        used: this.hourUsed,
        remaining: this.perHour === null ? null : Math.max(0, this.perHour - this.hourUsed),
        resetAt: this.hourStart === null ? null : new Date(this.hourStart + HOUR_MS).toISOString(),
      },
      fiveSeconds: { used: fiveSecondsUsed },
    };
  }

  /** `ratelimit`'s numbers: limit, remaining, and when the window resets (epoch seconds). */
  report(): { limit: number; remaining: number; resetSec: number } {
    const now = this.clock.nowMs();
    this.expireHour(now);
    const limit = this.perHour ?? UNLIMITED_REPORTED;
    return {
      limit,
      remaining: Math.max(0, limit - this.hourUsed),
      resetSec: Math.floor(((this.hourStart ?? now) + HOUR_MS) / 1000),
    };
  }

  /** A window that has run out (or lies ahead: the clock went back) starts over. */
  private expireHour(now: number): void {
    if (this.hourStart !== null && (now >= this.hourStart + HOUR_MS || now < this.hourStart)) {
      this.hourStart = null;
      this.hourUsed = 0;
    }
  }
}
