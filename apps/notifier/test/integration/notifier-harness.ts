import { randomUUID } from 'node:crypto';
import { connect, NatsConnection, type Subscription } from '@nats-io/transport-node';
import {
  EventFixtures,
  FIRST_COMPANY_ID,
  OrchestratorRequests,
  SyncRunEvent,
  SyncRunEventPayload,
  SyncRunEventType,
} from '@talentsync/contracts';
import { EventPublisher, NatsConnection as ServiceNats } from '@talentsync/shared/messaging';
import { startTestService, TestService } from '@talentsync/shared/service-testing';
import { requiredEnv, waitFor, withPg } from '@talentsync/shared/testing';
import { AppModule, SERVICE_NAME } from '../../src/app.module';
import { NotifierEnv } from '../../src/config/notify.env';

export type Notifier = TestService<NotifierEnv>;

/** Retries in tenths of a second instead of minutes. */
export const FAST_RETRIES = {
  NOTIFY_RETRY_DELAY: '200ms',
  NOTIFY_RETRY_MAX_DELAY: '1s',
  NOTIFY_POLL_INTERVAL: '100ms',
};

/** Boots the real notifier in-process: its own schema and NATS namespace unless given. */
export function startNotifier(env: Record<string, string>): Promise<Notifier> {
  return startTestService(NotifierEnv, (e) => AppModule.forRoot(e), {
    name: SERVICE_NAME,
    schemaPrefix: 'notify',
    env: { ...FAST_RETRIES, ...env },
  });
}

/** A connection of the test's own, e.g. for stand-ins of other services. */
export function testNats(): Promise<NatsConnection> {
  return connect({ servers: requiredEnv('NATS_URL').split(',') });
}

/** The company most tests work in; `companies.integration-spec` adds others. */
export const COMPANY_ID = FIRST_COMPANY_ID;

/** A fixture run event of a company (the first unless given) with a fresh run id and event id. */
export function runEvent(
  changes: Partial<SyncRunEventPayload> = {},
  type: Exclude<SyncRunEventType, 'sync.run.started'> = 'sync.run.completed',
  companyId = COMPANY_ID,
): SyncRunEvent {
  const fixture = structuredClone(EventFixtures[type]);
  return {
    ...fixture,
    eventId: randomUUID(),
    companyId,
    run: { ...fixture.run, id: randomUUID(), ...changes },
  } as SyncRunEvent;
}

/** The same event again, as a re-publish with a new Nats-Msg-Id would carry it. */
export const republished = (event: SyncRunEvent): SyncRunEvent => ({
  ...structuredClone(event),
  eventId: randomUUID(),
});

/**
 * The runs "sync-orchestrator" has, by company and run id: those of the events the test
 * published as its relay would. Another company's run is not found, as in the orchestrator.
 */
const orchestratorRuns = new Map<string, SyncRunEventPayload>();
const runKey = (companyId: string, runId: string) => `${companyId}/${runId}`;
const runResponders = new WeakMap<Notifier, Subscription>();

/**
 * A stand-in for sync-orchestrator's `orchestrator.runs.get` on the notifier's namespace (on
 * its own connection, so it ends with the notifier): answers the runs published so far.
 */
async function answerRunRequests(notifier: Notifier): Promise<void> {
  if (runResponders.has(notifier)) return;
  const nats = notifier.app.get(ServiceNats);
  const subscription = nats.connection.subscribe(nats.subject(OrchestratorRequests.getRun), {
    callback: (error, msg) => {
      if (error) return;
      const { companyId, id } = msg.json<{ companyId: string; id: string }>();
      const run = orchestratorRuns.get(runKey(companyId, id));
      msg.respond(
        JSON.stringify(
          run
            ? { ok: true, data: run }
            : { ok: false, error: { code: 'NOT_FOUND', message: 'no such run', retryable: false } },
        ),
      );
    },
  });
  runResponders.set(notifier, subscription);
  await nats.connection.flush();
}

/** Publishes into the notifier's namespaced SYNC stream, as sync-orchestrator's relay does. */
export async function publish(notifier: Notifier, ...events: SyncRunEvent[]): Promise<void> {
  await answerRunRequests(notifier);
  for (const event of events) {
    orchestratorRuns.set(runKey(event.companyId, event.run.id), event.run);
    await notifier.app.get(EventPublisher).publish(event);
  }
}

/** Makes the stand-in answer the company's `run` without publishing anything about it. */
export async function knownToOrchestrator(
  notifier: Notifier,
  run: SyncRunEventPayload,
  companyId = COMPANY_ID,
) {
  await answerRunRequests(notifier);
  orchestratorRuns.set(runKey(companyId, run.id), run);
}

/** Publishes events about runs sync-orchestrator never had (or not as they say): forged ones. */
export async function publishForged(notifier: Notifier, ...events: SyncRunEvent[]): Promise<void> {
  await answerRunRequests(notifier);
  for (const event of events) await notifier.app.get(EventPublisher).publish(event);
}

export interface NotificationRow {
  company_id: string;
  run_id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  recipients: string[] | null;
  subject: string;
  message_id: string | null;
  sent_at: Date | null;
}

export function notificationRow(
  notifier: Notifier,
  runId: string,
): Promise<NotificationRow | undefined> {
  return withPg(notifier.env.DATABASE_URL, async (pg) => {
    const { rows } = await pg.query(
      `SELECT * FROM "${notifier.env.DB_SCHEMA}".notifications WHERE run_id = $1`,
      [runId],
    );
    return rows[0] as NotificationRow | undefined;
  });
}

/** Waits until the run's row exists and passes `ok`; resolves with it. */
export function waitForRow(
  notifier: Notifier,
  runId: string,
  what: string,
  ok: (row: NotificationRow) => boolean,
): Promise<NotificationRow> {
  return waitFor(what, async () => {
    const row = await notificationRow(notifier, runId);
    return row !== undefined && ok(row) && row;
  });
}

export const waitForStatus = (notifier: Notifier, runId: string, status: string) =>
  waitForRow(
    notifier,
    runId,
    `the e-mail about run ${runId} ${status}`,
    (row) => row.status === status,
  );

/** `/companies/<companyId>/notifications<rest>`: a company's log. */
export const notificationsPath = (rest = '', companyId = COMPANY_ID) =>
  `/companies/${companyId}/notifications${rest}`;

/** GET with a bearer token (the platform's unless given); the parsed body and the status. */
export async function api<T = Record<string, unknown>>(
  notifier: Notifier,
  path: string,
  token = notifier.env.apiToken,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${notifier.url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as T };
}
