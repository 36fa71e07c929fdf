import { randomUUID } from 'node:crypto';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { HrRequests, QueueGroups } from '@talentsync/contracts';
import { companyTransaction } from '@talentsync/shared/database';
import { NatsConnection } from '@talentsync/shared/messaging';
import { startTestService, type TestService } from '@talentsync/shared/service-testing';
import { AppModule, SERVICE_NAME } from '../../src/app.module';
import { SyncEnv } from '../../src/config/sync.env';
import { Integration } from '../../src/settings/integration.entity';

export type Orchestrator = TestService<SyncEnv>;

/** Boots the real orchestrator in-process (its own schema and NATS namespace), scheduler idle. */
export async function startOrchestrator(env: Record<string, string> = {}): Promise<Orchestrator> {
  return startTestService(SyncEnv, (e) => AppModule.forRoot(e), {
    name: SERVICE_NAME,
    rpcQueue: QueueGroups.syncOrchestrator, // answers orchestrator.* as main.ts does
    schemaPrefix: 'sync',
    env: { SCHEDULER_TICK: '1h', ...env },
  });
}

export const dataSourceOf = (service: Orchestrator): DataSource =>
  service.app.get<DataSource>(getDataSourceToken());

/**
 * hr-service is not running in this tier: a stand-in answers `hr.companies.get` on the
 * service's namespace, as hr-service would, for the companies the test made (the route guard's
 * directory asks it); any other id is NOT_FOUND.
 */
export async function answerCompanies(service: Orchestrator): Promise<Set<string>> {
  const companies = new Set<string>();
  const nats = service.app.get(NatsConnection);
  nats.connection.subscribe(nats.subject(HrRequests.getCompany), {
    callback: (error, msg) => {
      if (error) return;
      const { companyId } = msg.json<{ companyId: string }>();
      msg.respond(
        JSON.stringify(
          companies.has(companyId)
            ? {
                ok: true,
                data: { id: companyId, name: 'Acme', ownerEmail: null, adminEmails: [] },
              }
            : {
                ok: false,
                error: { code: 'NOT_FOUND', message: 'no such company', retryable: false },
              },
        ),
      );
    },
  });
  await nats.connection.flush();
  return companies;
}

/** A new company id, known to the stand-in directory. */
export function newCompany(directory: Set<string>): string {
  const id = randomUUID();
  directory.add(id);
  return id;
}

/** Stores a company's integration settings as a save would (no portal check in this tier). */
export async function storeIntegration(
  service: Orchestrator,
  companyId: string,
  changes: Partial<Integration> = {},
): Promise<Integration> {
  return companyTransaction(dataSourceOf(service), companyId, (m) =>
    m.save(
      m.create(Integration, {
        companyId,
        portalUrl: `https://${companyId.slice(0, 8)}.talentlms.com`,
        apiKeySealed: `v3.${companyId}.sealed`,
        apiKeyLast4: '1234',
        branch: 'all',
        direction: 'hr-to-lms',
        automaticSync: true,
        active: true,
        activatedAt: new Date(),
        nextScheduledSyncAt: null,
        pausedAt: null,
        pauseReason: null,
        scheduledFailuresInARow: 0,
        ...changes,
      }),
    ),
  );
}

/** One HTTP call with the platform token; resolves the status and the JSON body. */
export async function api(
  service: Orchestrator,
  method: string,
  path: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON of any route
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${service.env.apiToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
