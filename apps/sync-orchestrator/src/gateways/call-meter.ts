/** Told of each lms.* request a meter's owner made: how long its answer took. */
export interface CallListener {
  /** `failed`: it failed retryably (the portal failing, rate-limited, its circuit open). */
  answered(ms: number, failed: boolean): void;
}

/**
 * Counts the TalentLMS calls a run spends, as lms-connector reports them per reply; tells its
 * listener (a run's pace: runs/run-pace.ts) how long each request took.
 */
export class CallMeter {
  private spent = 0;

  constructor(private readonly listener?: CallListener) {}

  add(calls: number | undefined): void {
    this.spent += calls ?? 0;
  }

  answered(ms: number, failed = false): void {
    this.listener?.answered(ms, failed);
  }

  get total(): number {
    return this.spent;
  }
}
