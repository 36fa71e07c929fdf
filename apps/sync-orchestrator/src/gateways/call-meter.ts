/** Counts the TalentLMS calls a run spends, as lms-connector reports them per reply. */
export class CallMeter {
  private spent = 0;

  add(calls: number | undefined): void {
    this.spent += calls ?? 0;
  }

  get total(): number {
    return this.spent;
  }
}
