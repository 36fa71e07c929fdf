import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { FIRST_COMPANY_ID, HrRequests } from '@talentsync/contracts';

export interface Company {
  name: string;
  ownerEmail: string | null;
  adminEmails: string[];
}

/**
 * A stand-in for hr-service's `hr.companies.get` and `hr.tokens.status` on the test's NATS
 * namespace: real NATS request/reply, answered as hr-service would: `{ok: true, data: company}`
 * for a company it has, NOT_FOUND for any other (unknown or deleted); a token is active while
 * its company is there and it is not in `revoked`.
 */
export class CompanyResponder {
  requests = 0;
  /** The companies hr-service has, by id. */
  readonly companies = new Map<string, Company>();
  readonly revoked = new Set<string>();
  private subscriptions: Subscription[] = [];

  constructor(
    private readonly nc: NatsConnection,
    private readonly namespace: string,
    company?: Company,
    companyId = FIRST_COMPANY_ID,
  ) {
    if (company) this.companies.set(companyId, company);
  }

  /** The first company (FIRST_COMPANY_ID), which most suites need alone. */
  get company(): Company | undefined {
    return this.companies.get(FIRST_COMPANY_ID);
  }

  set company(company: Company) {
    this.companies.set(FIRST_COMPANY_ID, company);
  }

  start(): this {
    const answer = (subject: string, reply: (request: Record<string, string>) => unknown) =>
      this.nc.subscribe(`${this.namespace}.${subject}`, {
        callback: (error, msg) => {
          if (error) return;
          this.requests += 1;
          msg.respond(JSON.stringify(reply(msg.json<Record<string, string>>())));
        },
      });
    this.subscriptions = [
      answer(HrRequests.getCompany, ({ companyId }) => {
        const company = this.companies.get(companyId);
        return company
          ? { ok: true, data: { id: companyId, ...company } }
          : {
              ok: false,
              error: {
                code: 'NOT_FOUND',
                message: `Company ${companyId} not found`,
                retryable: false,
              },
            };
      }),
      answer(HrRequests.tokenStatus, ({ companyId, tokenId }) => ({
        ok: true,
        data: { active: this.companies.has(companyId) && !this.revoked.has(tokenId) },
      })),
    ];
    return this;
  }

  async stop(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions = [];
    await this.nc.flush();
  }
}
