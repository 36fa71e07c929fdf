import { Injectable } from '@nestjs/common';
import type { CallListener } from '../gateways/call-meter';
import { RecentDurations } from '@talentsync/sync-rules';
import { type PortalCall, RECENT_CALLS, SLOW_CALL_FLOOR_MS, waitsOnPortal } from './run-slot-rules';

/** The replica's last answered requests of runs, every company's: what a typical one takes now. */
const REPLICA_CALLS = 200;

/**
 * Answers between two computations of the typical request (a median of 200: a copy and a
 * sort, ~20 us). It is read before every write of every run (its place at the run-item gate);
 * 16 new answers in a window of 200 barely move it.
 */
export const ANSWERS_PER_TYPICAL = 16;

/**
 * How long the runs of this replica wait on their portals' answers. A request is slow beside
 * what a typical one of the replica takes now (slowCallMs), so a loaded machine that slows
 * every request moves no run out of its CPU slot. Typical is what runs not known to wait (from
 * the company's last run) see: a scheduled wave's known slow portals would raise it. A run
 * judged waiting stays so (RunPace `showedWaiting`): at the end of a wave of initial syncs only
 * slow portals' runs are left, their own 1-3 s answers become typical, and in the
 * many-companies bench four of them kept every CPU slot for ~100 s with the allowance empty and
 * 900 runs queued.
 */
@Injectable()
export class RunPaces {
  private readonly answered = new RecentDurations(REPLICA_CALLS);
  private slowMs?: number;
  private answersSince = 0;

  /** A run's pace, fed by its call meter and its retry policy; `knownToWait`: see RunLease. */
  forRun(knownToWait = false): RunPace {
    return new RunPace(this, knownToWait);
  }

  note(ms: number): void {
    this.answered.note(ms);
    this.answersSince += 1;
  }

  /** How long a request may take before it is slow: see SLOW_CALL_FLOOR_MS. */
  slowCallMs(): number {
    if (this.slowMs === undefined || this.answersSince >= ANSWERS_PER_TYPICAL) {
      this.slowMs = this.answered.slowAfterMs(SLOW_CALL_FLOOR_MS);
      this.answersSince = 0;
    }
    return this.slowMs;
  }
}

/**
 * One run's recent requests and budget waits (see waitsOnPortal). Whoever follows the run is
 * told as soon as they say it waits on its portal (`whenWaiting`): on the slow answer or the
 * budget wait that shows it, not at the next lease renewal.
 */
export class RunPace implements CallListener {
  private readonly calls: PortalCall[] = [];
  private roomAt = 0;
  private onWaiting?: () => void;
  /**
   * Its requests showed once that it waits on its portal: it stays so for the run (a run that
   * moved stays in the allowance until it ends; one that found it full moves when it has room,
   * however typical requests have grown since).
   */
  private showedWaiting = false;

  constructor(
    private readonly replica: RunPaces,
    private readonly knownToWait = false,
  ) {}

  /** `listener` is called each time a slow answer or a budget wait finds the run waiting. */
  whenWaiting(listener: () => void): void {
    this.onWaiting = listener;
  }

  answered(ms: number, failed: boolean): void {
    this.calls.push({ ms, failed });
    if (this.calls.length > RECENT_CALLS) this.calls.shift();
    if (!failed && !this.knownToWait) this.replica.note(ms);
    // Only a failed or slow answer (never under the floor) can make a run wait: judged then.
    if ((failed || ms > SLOW_CALL_FLOOR_MS) && this.waitsOnPortal()) this.onWaiting?.();
  }

  /** A write of the run waits until then for its portal's call budget (SYNC_BUDGET_WAIT). */
  waitsForRoomUntil(until: Date): void {
    this.roomAt = Math.max(this.roomAt, until.getTime());
    if (this.waitsOnPortal()) this.onWaiting?.();
  }

  waitsOnPortal(now = Date.now()): boolean {
    this.showedWaiting ||= waitsOnPortal(
      this.calls,
      this.replica.slowCallMs(),
      false,
      this.knownToWait,
    );
    return this.showedWaiting || this.roomAt > now;
  }

  /**
   * Whether the run, ending now, leaves its portal known to wait: as its last requests say,
   * else as was known (`knownToWait`: it started or moved into the waiting pool).
   */
  endsWaiting(knownToWait = this.knownToWait): boolean {
    return waitsOnPortal(this.calls, this.replica.slowCallMs(), false, knownToWait);
  }
}
