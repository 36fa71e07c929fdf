import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { HrRequests } from '@talentsync/contracts';

export interface Company {
  name: string;
  ownerEmail: string | null;
  adminEmails: string[];
}

/**
 * A stand-in for hr-service's `hr.company.get` on the test's NATS namespace: real NATS
 * request/reply, answered with `{ok: true, data: company}` as hr-service would.
 */
export class CompanyResponder {
  requests = 0;
  private subscription?: Subscription;

  constructor(
    private readonly nc: NatsConnection,
    private readonly namespace: string,
    public company: Company,
  ) {}

  start(): this {
    this.subscription = this.nc.subscribe(`${this.namespace}.${HrRequests.getCompany}`, {
      callback: (error, msg) => {
        if (error) return;
        this.requests += 1;
        msg.respond(JSON.stringify({ ok: true, data: this.company }));
      },
    });
    return this;
  }

  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    await this.nc.flush();
  }
}
