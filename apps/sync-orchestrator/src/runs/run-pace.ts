import { Injectable } from '@nestjs/common';
import type { CallListener } from '../gateways/call-meter';
import { RecentDurations } from '@talentsync/sync-rules';
import { type PortalCall, RECENT_CALLS, SLOW_CALL_FLOOR_MS, waitsOnPortal } from './run-slot-rules';

/** The replica's last answered requests of runs, every company's: what a typical one takes now. */
const REPLICA_CALLS = 200;

/**
 * How long the runs of this replica wait on their portals' answers. A request is slow beside
 * what a typical one of the replica takes now (slowCallMs), so a loaded machine that slows
 * every request moves no run out of its CPU slot.
 */
@Injectable()
export class RunPaces {
  private readonly answered = new RecentDurations(REPLICA_CALLS);

  /** A run's pace, fed by its call meter and its retry policy. */
  forRun(): RunPace {
    return new RunPace(this);
  }

  note(ms: number): void {
    this.answered.note(ms);
  }

  /** How long a request may take before it is slow: see SLOW_CALL_FLOOR_MS. */
  slowCallMs(): number {
    return this.answered.slowAfterMs(SLOW_CALL_FLOOR_MS);
  }
}

/** One run's recent requests and budget waits (see waitsOnPortal). */
export class RunPace implements CallListener {
  private readonly calls: PortalCall[] = [];
  private roomAt = 0;

  constructor(private readonly replica: RunPaces) {}

  answered(ms: number, failed: boolean): void {
    this.calls.push({ ms, failed });
    if (this.calls.length > RECENT_CALLS) this.calls.shift();
    if (!failed) this.replica.note(ms);
  }

  /** A write of the run waits until then for its portal's call budget (SYNC_BUDGET_WAIT). */
  waitsForRoomUntil(until: Date): void {
    this.roomAt = Math.max(this.roomAt, until.getTime());
  }

  waitsOnPortal(now = Date.now()): boolean {
    return waitsOnPortal(this.calls, this.replica.slowCallMs(), this.roomAt > now);
  }
}
