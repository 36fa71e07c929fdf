import { inspect } from 'node:util';

/**
 * One lms.* request's view of a portal: where it is, the key (opened for this request only,
 * never logged: it is not enumerable and hides from JSON and inspect), the branch in scope,
 * when the request must be done, and how many counted calls it has made so far.
 */
export class PortalSession {
  /** TalentLMS calls made that count against the portal's limits. */
  callsSpent = 0;
  readonly #apiKey: string;

  constructor(
    /** `https://host[:port]` */
    readonly baseUrl: string,
    /** The budget and circuit key. */
    readonly host: string,
    apiKey: string,
    /** `all` or a branch id. */
    readonly branch: string,
    /** Epoch ms after which no new wait or retry starts. */
    readonly deadline: number,
  ) {
    this.#apiKey = apiKey;
  }

  /** HTTP Basic: the API key as user name, empty password. */
  get authorization(): string {
    return `Basic ${Buffer.from(`${this.#apiKey}:`).toString('base64')}`;
  }

  get branchScoped(): boolean {
    return this.branch !== 'all';
  }

  remainingMs(now = Date.now()): number {
    return Math.max(0, this.deadline - now);
  }

  toJSON() {
    return { baseUrl: this.baseUrl, branch: this.branch, callsSpent: this.callsSpent };
  }

  [inspect.custom]() {
    return `PortalSession(${this.baseUrl}, branch ${this.branch})`;
  }
}
