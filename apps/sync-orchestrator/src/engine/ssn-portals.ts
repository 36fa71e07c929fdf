/** Portals remembered at most; past it the memory starts again (a guess only, see below). */
export const SSN_PORTALS_KEPT = 10_000;

/**
 * How one employee's read asks hr-service for the SSN, which it sends only when asked and
 * which only a portal with an `ssn` custom field needs (SPEC: SSNs never travel needlessly).
 * The fields (the connector's cached copy) and the employee are independent reads, so they go
 * at once, the employee WITHOUT the SSN: only the fields can say it is needed, and they are not
 * in yet. A portal that turns out to have an ssn field has the employee read again with it.
 * To spare such portals that second read on every push, the portals whose fields had an ssn
 * field at their last read are remembered: for them the fields are read first and the employee
 * after, with the SSN if the fields still say so (the order of old). So the SSN is asked for
 * only once fields just read say the portal has one; the memory decides the order, never that.
 */
export class SsnPortals {
  private readonly withSsn = new Set<string>();

  /** Whether to read the fields before the employee: the portal had an ssn field last time. */
  fieldsFirst(portal: string): boolean {
    return this.withSsn.has(portal);
  }

  /** What the portal's fields just said. */
  note(portal: string, hasSsn: boolean): void {
    if (!hasSsn) {
      this.withSsn.delete(portal);
      return;
    }
    if (this.withSsn.size >= SSN_PORTALS_KEPT) this.withSsn.clear();
    this.withSsn.add(portal);
  }
}
