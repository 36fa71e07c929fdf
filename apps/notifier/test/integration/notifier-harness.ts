import { randomUUID } from 'node:crypto';
import { connect, NatsConnection, type Subscription } from '@nats-io/transport-node';
import {
  EventFixtures,
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

/** A fixture run event with a fresh run id and event id. */
export function runEvent(
  changes: Partial<SyncRunEventPayload> = {},
  type: Exclude<SyncRunEventType, 'sync.run.started'> = 'sync.run.completed',
): SyncRunEvent {
  const fixture = structuredClone(EventFixtures[type]);
  return {
    ...fixture,
    eventId: randomUUID(),
    run: { ...fixture.run, id: randomUUID(), ...changes },
  } as SyncRunEvent;
}

/** The same event again, as a re-publish with a new Nats-Msg-Id would carry it. */
export const republished = (event: SyncRunEvent): SyncRunEvent => ({
  ...structuredClone(event),
  eventId: randomUUID(),
});

/** The runs "sync-orchestrator" has: those of the events the test published as its relay would. */
const orchestratorRuns = new Map<string, SyncRunEventPayload>();
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
      const run = orchestratorRuns.get(msg.json<{ id: string }>().id);
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
    orchestratorRuns.set(event.run.id, event.run);
    await notifier.app.get(EventPublisher).publish(event);
  }
}

/** Makes the stand-in answer `run` without publishing anything about it. */
export async function knownToOrchestrator(notifier: Notifier, run: SyncRunEventPayload) {
  await answerRunRequests(notifier);
  orchestratorRuns.set(run.id, run);
}

/** Publishes events about runs sync-orchestrator never had (or not as they say): forged ones. */
export async function publishForged(notifier: Notifier, ...events: SyncRunEvent[]): Promise<void> {
  await answerRunRequests(notifier);
  for (const event of events) await notifier.app.get(EventPublisher).publish(event);
}

export interface NotificationRow {
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

/** GET with the bearer token; the parsed body and the status. */
export async function api<T = Record<string, unknown>>(
  notifier: Notifier,
  path: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${notifier.url}${path}`, {
    headers: { authorization: `Bearer ${notifier.env.apiToken}` },
  });
  return { status: response.status, body: (await response.json()) as T };
}
