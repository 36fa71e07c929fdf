import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError, describeError, type AnyEvent } from '@talentsync/contracts';
import { acrossCompanies } from '@talentsync/shared/database';
import { EventPublisher } from '../jetstream/event.publisher';
import { MESSAGING_OPTIONS, type MessagingOptions } from '../messaging.options';
import { processCounter, processGauge } from '../resilience/metrics';
import { PollingWorker } from '../resilience/polling-worker';

export interface OutboxRelayOptions {
  /** How often to look for unsent rows when nobody kicks the relay. */
  pollIntervalMs: number;
  batchSize: number;
  /** Sent rows older than this are deleted. */
  retentionHours: number;
}

export const OUTBOX_RELAY_OPTIONS = Symbol('OUTBOX_RELAY_OPTIONS');
const DEFAULTS: OutboxRelayOptions = { pollIntervalMs: 500, batchSize: 200, retentionHours: 168 };
const CLEANUP_EVERY_MS = 3_600_000;
/** One relay at a time per schema (in every replica of a service): per-entity order. */
const RELAY_LOCK = "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.outbox-relay'))";

interface OutboxRow {
  id: string;
  payload: AnyEvent;
  traceparent: string | null;
}

// Every relay running in this process, for the backlog gauges (one set per process).
const running = new Set<OutboxRelay>();

/** What is waiting in an outbox: unsent rows and how old the oldest is (0 when none). */
export interface OutboxBacklog {
  unsent: number;
  oldestUnsentAgeSeconds: number;
}

function registerGauges(): void {
  const collect =
    (field: keyof OutboxBacklog) =>
    async (gauge: { reset(): void; set(labels: { service: string }, value: number): void }) => {
      gauge.reset();
      for (const relay of running) {
        const backlog = await relay.backlog().catch(() => undefined);
        if (backlog) gauge.set({ service: relay.service }, backlog[field]);
      }
    };
  processGauge('outboxUnsent', 'Outbox rows not relayed to JetStream yet', collect('unsent'));
  processGauge(
    'outboxOldestUnsentAge',
    'Age of the oldest outbox row not relayed yet (0 when none)',
    collect('oldestUnsentAgeSeconds'),
  );
}

/**
 * Publishes outbox rows to JetStream in insertion order and marks each sent only after the
 * server's ack. One replica relays at a time (advisory lock, waited for), which keeps
 * per-entity order.
 * A crash between publish and mark re-publishes the row; JetStream drops the duplicate by its
 * Nats-Msg-Id, and consumers also de-duplicate by eventId.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly options: OutboxRelayOptions;
  private readonly published = processCounter(
    'outboxPublished',
    'Events relayed from the outbox to JetStream',
  );
  private readonly failures = processCounter(
    'outboxPublishFailures',
    'Failed attempts to relay an outbox event',
  );
  private readonly worker: PollingWorker;
  private lastCleanup = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    @Optional() @Inject(OUTBOX_RELAY_OPTIONS) options?: Partial<OutboxRelayOptions>,
    @Optional() @Inject(MESSAGING_OPTIONS) private readonly messaging?: MessagingOptions,
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.worker = new PollingWorker({
      idleMs: this.options.pollIntervalMs,
      pass: async () => {
        const more = await this.relayBatch();
        await this.cleanupNowAndThen();
        return more;
      },
      onError: (error) => this.logger.warn(`Outbox relay pass failed: ${describeError(error)}`),
    });
  }

  onApplicationBootstrap(): void {
    // Shown until shutdown, stopped or not: a relay that stopped relaying is what it tells.
    registerGauges();
    running.add(this);
    this.start();
  }

  start(): void {
    this.worker.start();
  }

  /** The `service` label of the backlog gauges. */
  get service(): string {
    return this.messaging?.service ?? 'unknown';
  }

  /** The outbox's backlog, read on the partial index of unsent rows (cheap at any size). */
  async backlog(): Promise<OutboxBacklog> {
    const [row] = await acrossCompanies(this.dataSource, 'the backlog of every company', (tx) =>
      tx.query(
        `SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL)::int AS unsent,
                coalesce(extract(epoch FROM now() - (
                  SELECT created_at FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT 1
                )), 0)::float8 AS oldest`,
      ),
    );
    return { unsent: row.unsent, oldestUnsentAgeSeconds: Math.max(0, row.oldest) };
  }

  /** Ask for a relay pass now (after a commit that added rows). */
  kick(): void {
    this.worker.kick();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    running.delete(this);
    await this.stop();
  }

  /**
   * One pass: publish up to batchSize rows. Resolves true when more rows are waiting. Its
   * transaction begins, sees every company and takes the relay's lock in one round trip (then
   * the read, the mark, the commit: 4 in all, 3 when nothing waits). The lock is waited for, not
   * tried: another replica's pass is short, and the read after it sees that pass's marks.
   */
  async relayBatch(): Promise<boolean> {
    const { rows, sent, failed } = await acrossCompanies(
      this.dataSource,
      "the relay publishes every company's events in order",
      async (tx) => {
        const rows: OutboxRow[] = await tx.query(
          'SELECT id, payload, traceparent FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1',
          [this.options.batchSize],
        );
        const sent: string[] = [];
        let failed = false;
        for (const row of rows) {
          try {
            await this.publisher.publish(row.payload, undefined, row.traceparent ?? undefined);
            sent.push(row.id);
          } catch (error) {
            failed = true;
            this.failures.inc();
            await tx.query(
              'UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1',
              [row.id, describeError(error).slice(0, 500)],
            );
            break; // keep order: nothing after a failed row goes out before it
          }
        }
        if (sent.length > 0) {
          await tx.query(
            'UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1)',
            [sent],
          );
        }
        return { rows, sent, failed };
      },
      RELAY_LOCK,
    );
    this.published.inc(sent.length);
    if (failed) {
      throw new AppError(
        'OUTBOX_PUBLISH_FAILED',
        'JetStream refused or did not acknowledge an event',
        {
          retryable: true,
        },
      );
    }
    return rows.length === this.options.batchSize;
  }

  private async cleanupNowAndThen(): Promise<void> {
    if (Date.now() - this.lastCleanup < CLEANUP_EVERY_MS) return;
    this.lastCleanup = Date.now();
    await acrossCompanies(this.dataSource, 'sent rows of every company expire', (tx) =>
      tx.query(`DELETE FROM outbox WHERE sent_at < now() - make_interval(hours => $1)`, [
        this.options.retentionHours,
      ]),
    );
  }
}
