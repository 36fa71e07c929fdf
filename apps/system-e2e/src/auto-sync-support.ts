import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { waitFor } from '@talentsync/shared/testing';
import {
  callJson,
  companyPath,
  expectStatus,
  type Employee,
  type HttpAnswer,
  type Run,
} from './sync-fixtures';

// Helpers for the automatic-sync journeys: a small REST client and a raw JetStream publisher
// for messages the services did not write. The SMTP server: SmtpCatcher of shared/testing.

/**
 * JSON over HTTP with the dev bearer token, to a service whose URL (and the suite's company)
 * is known only once the system runs (hence the functions). With `companyId`, paths are the
 * company's (`/employees` -> `/companies/<id>/employees`); without, the service's own.
 * Untyped paths: the typed clients are in sync-fixtures.
 */
export class Rest {
  constructor(
    private readonly baseUrl: () => string,
    private readonly companyId?: () => string,
  ) {}

  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<HttpAnswer<T>> {
    const scoped = this.companyId ? companyPath(this.companyId(), path) : path;
    return callJson<T>(this.baseUrl(), method, scoped, body);
  }

  /** The body of an answer with the expected status; throws with the answer otherwise. */
  async expect<T = Record<string, unknown>>(
    status: number,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    return expectStatus(await this.call<T>(method, path, body), status, `${method} ${path}`);
  }
}

/**
 * Saves the integration `settings` (through the orchestrator's REST) and resolves its initial
 * run once it has finished: the starting point of suites that then watch pushes, events, logs
 * or e-mails.
 */
export async function saveAndAwaitInitialRun(
  sync: Rest,
  settings: Record<string, unknown>,
): Promise<Run> {
  const saved = await sync.call('PUT', '/integrations/talentlms', settings);
  expect([200, 201]).toContain(saved.status);
  return waitFor('the initial sync to finish', async () => {
    const page = await sync.expect<{ items: Run[] }>(200, 'GET', '/integrations/talentlms/runs');
    return page.items[0]?.finishedAt ? page.items[0] : undefined;
  });
}

/** A two-way integration with automatic sync on `sim`, its initial run finished. */
export function connectTwoWay(sync: Rest, sim: { url: string; apiKey: string }): Promise<Run> {
  return saveAndAwaitInitialRun(sync, {
    portalUrl: sim.url,
    apiKey: sim.apiKey,
    branch: 'all',
    direction: 'two-way',
    automaticSync: true,
  });
}

/** Hires `<name> Tester` through hr-service's REST, with an e-mail unique to the system. */
export function hireThrough(
  hr: Rest,
  suffix: string,
  name: string,
  attributes?: Record<string, string>,
): Promise<Employee> {
  return hr.expect<Employee>(201, 'POST', '/employees', {
    firstName: name,
    lastName: 'Tester',
    email: `${name.toLowerCase()}.${suffix}@acme.test`,
    language: 'en',
    hireDate: '2026-01-05',
    ...(attributes ? { attributes } : {}),
  });
}

/** Publishes bodies to JetStream as they are (no validation), as a faulty producer would. */
export class RawPublisher {
  /** Over a connection from `TestSystem.connectAs`, as the identity the test plays. */
  constructor(private readonly nc: NatsConnection) {}

  /** Resolves the stream sequence the server stored the message at. */
  async publish(subject: string, body: string): Promise<number> {
    const ack = await jetstream(this.nc).publish(subject, body);
    return ack.seq;
  }

  async consumerInfo(
    stream: string,
    durable: string,
  ): Promise<{ pending: number; ackPending: number; redelivered: number }> {
    const jsm = await jetstream(this.nc).jetstreamManager();
    const info = await jsm.consumers.info(stream, durable);
    return {
      pending: info.num_pending,
      ackPending: info.num_ack_pending,
      redelivered: info.num_redelivered,
    };
  }

  async close(): Promise<void> {
    await this.nc.drain();
  }
}
