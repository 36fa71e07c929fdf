/** Portal API calls by endpoint key (`users/id`, `usersignup`, ...) and outcome (`200`, `timeout`). */
export class CallCounter {
  private total = 0;
  private readonly byEndpoint = new Map<string, Map<string, number>>();

  record(endpoint: string, outcome: string): void {
    this.total++;
    let outcomes = this.byEndpoint.get(endpoint);
    if (!outcomes) this.byEndpoint.set(endpoint, (outcomes = new Map()));
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }

  snapshot(): { total: number; byEndpoint: Record<string, Record<string, number>> } {
    return {
      total: this.total,
      byEndpoint: Object.fromEntries(
        [...this.byEndpoint].map(([endpoint, outcomes]) => [
          endpoint,
          Object.fromEntries(outcomes),
        ]),
      ),
    };
  }

  reset(): void {
    this.total = 0;
    this.byEndpoint.clear();
  }
}
