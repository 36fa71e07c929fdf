/**
 * The portal's time: real time plus an offset tests can move (`/_sim/clock`), so dates the
 * portal writes and rate-limit windows can be tested without waiting an hour.
 */
export class SimClock {
  private offsetMs = 0;

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** UTC epoch seconds, as the portal's timestamps. */
  nowSec(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  set(epochMs: number): void {
    this.offsetMs = epochMs - Date.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }

  describe(): { now: string; offsetMs: number } {
    return { now: new Date(this.nowMs()).toISOString(), offsetMs: this.offsetMs };
  }
}
