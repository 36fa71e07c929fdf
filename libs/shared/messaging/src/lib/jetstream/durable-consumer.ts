import { Logger } from '@nestjs/common';
import {
  AckPolicy,
  ConsumerMessages,
  DeliverPolicy,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  JsMsg,
} from '@nats-io/jetstream';
import {
  AppError,
  eventSubject,
  isRetryable,
  parseEvent,
  subjectWithoutCompany,
  type AnyEvent,
  type EventGroup,
} from '@talentsync/contracts';
import type { NatsConnection } from '../nats.connection';
import { processCounter } from '../resilience/metrics';
import { ConsumerState, watchConsumer } from './consumer-gauges';
import { backoff, BackoffPolicy } from '../resilience/retry';
import { inSenderTrace } from '../trace-context';
import { MessagesInHand } from './messages-in-hand';
import { SingleCompanyUpgrade } from './single-company-upgrade';

export type { ConsumerState } from './consumer-gauges';

/** Thrown by a handler to say the message can never succeed: it is dead-lettered, not retried. */
export class PermanentMessageError extends AppError {
  constructor(message: string, code = 'MESSAGE_REFUSED') {
    super(code, message, { retryable: false });
    this.name = 'PermanentMessageError';
  }
}

/**
 * Thrown by a handler when a valid-looking message contradicts the system's state (a version
 * ahead of the real one, a run that does not exist): a forged message. It is dead-lettered
 * like an invalid one, without `event`, so nothing it says is recorded or acted on.
 */
export class UntrustedMessageError extends PermanentMessageError {
  constructor(message: string) {
    super(message, 'MESSAGE_UNTRUSTED');
    this.name = 'UntrustedMessageError';
  }
}

export interface DeadLetter {
  subject: string;
  streamSequence: number;
  deliveryCount: number;
  reason: string;
  /** The raw message body, for inspection and replay. */
  body: string;
  /** The event, when the message passed validation (it failed in the handler); never for invalid ones. */
  event?: AnyEvent;
}

export interface DurableConsumerOptions<E extends AnyEvent> {
  /** Stream name from the catalogue (namespaced on the wire in tests). */
  stream: string;
  /** Durable name: the consumer's position survives restarts under this name. */
  durable: string;
  /**
   * Catalogue subjects to receive, e.g. ['employee.>']. One subject (a wildcard is fine):
   * nats-server 2.9, the Debian 12 package, refuses several filter subjects on a consumer.
   */
  filterSubjects: [string];
  /**
   * Handles one validated event; resolve = ack, throw = retry later (or dead-letter). An error
   * with `retryAfterMs` is retried no sooner than that.
   */
  handle: (event: E, msg: JsMsg) => Promise<void>;
  /** Records a message that failed validation, failed permanently or ran out of attempts. */
  deadLetter: (letter: DeadLetter) => Promise<void>;
  /** Attempts before dead-lettering. */
  maxDeliver?: number;
  /**
   * Messages handled at the same time (default 1: strictly one at a time, in stream order, a
   * retry holding back later messages). Also the durable's max_ack_pending, so across replicas
   * too (they share it): a message waiting for its retry counts against it. Above 1 the
   * handler must not care about stream order, except between events of one `orderKey`.
   */
  concurrency?: number;
  /**
   * Events of one key are handled one after another, in the order received (their handlers
   * never overlap), within this process: e.g. one employee's. A retry is received again
   * later, so it can come after a later event of its key; so can another replica's.
   */
  orderKey?: (event: E) => string;
  /** How long the server waits for an ack before redelivering; a running handler extends it. */
  ackWaitMs?: number;
  /** Redelivery delays after each failed attempt (default 250 ms doubling to 30 s, ±25%). */
  backoff?: BackoffPolicy;
  /**
   * The group this durable (same name) consumed in the single-company release, when it did:
   * a durable found still on that release's filter first handles the events of it left in the
   * stream as the first company's, then moves to `filterSubjects` (README, "Upgrading from the
   * single-company release").
   */
  singleCompanyRelease?: EventGroup;
}

/** A message as taken: only acked (not this consumer's), dead-lettered (why) or handled. */
type Taken<E> = { foreign: true } | { invalid: string } | { event: E };

const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 30_000, jitter: 0.5 };

/** Why a message was dead-lettered, in few words (the `reason` label of dead_letters_total). */
export type DeadLetterKind = 'invalid' | 'untrusted' | 'refused' | 'undeliverable';

const deadLetters = () =>
  processCounter('deadLetters', 'Messages dead-lettered by consumers, by subject and reason');

/**
 * A durable JetStream pull consumer with explicit acks: events are validated against their
 * contract, handled, and acked only after the handler succeeds. Failures are retried with
 * exponential backoff and jitter; invalid or hopeless messages go to the dead-letter callback
 * and are terminated, never dropped silently and never retried forever.
 */
export class DurableConsumer<E extends AnyEvent = AnyEvent> {
  private readonly logger: Logger;
  private messages?: ConsumerMessages;
  private stopped = false;
  private loop?: Promise<void>;
  private lastState?: { at: number; state: Promise<ConsumerState> };
  /** Stored time (epoch ms) of each message this process holds unacknowledged, by sequence. */
  private readonly unacked = new Map<number, number>();
  private readonly inHand: MessagesInHand;
  /** False once the bus refused this user STREAM.MSG.GET: not asked again (no log noise). */
  private mayReadStream = true;
  /** While the durable is still on the single-company release's filter. */
  private upgrade?: SingleCompanyUpgrade;

  constructor(
    private readonly nats: NatsConnection,
    private readonly options: DurableConsumerOptions<E>,
  ) {
    this.logger = new Logger(`DurableConsumer:${options.durable}`);
    this.inHand = new MessagesInHand(this.concurrency);
  }

  private get concurrency(): number {
    return this.options.concurrency ?? 1;
  }

  private get maxDeliver(): number {
    return this.options.maxDeliver ?? 10;
  }

  private get ackWaitMs(): number {
    return this.options.ackWaitMs ?? 30_000;
  }

  async start(): Promise<void> {
    await this.ensureConsumer();
    this.loop = this.run();
    watchConsumer(this, true);
  }

  get labels(): { stream: string; durable: string } {
    return { stream: this.options.stream, durable: this.options.durable };
  }

  /** The consumer's state from JetStream (a reading up to `maxAgeMs` old is reused). */
  state(maxAgeMs = 0): Promise<ConsumerState> {
    if (this.lastState && Date.now() - this.lastState.at <= maxAgeMs) return this.lastState.state;
    const state = (async () => {
      // Quick to give up: a scrape of /metrics must not hang while NATS is away.
      const jsm = await jetstreamManager(this.nats.connection, { timeout: 1_000, checkAPI: false });
      const stream = this.nats.streamName(this.options.stream);
      const info = await jsm.consumers.info(stream, this.options.durable);
      let oldestPendingAgeSeconds = 0;
      if (info.num_pending + info.num_ack_pending > 0) {
        // Everything up to the ack floor is acknowledged: the oldest one not yet is the first
        // message of the consumer's subject after it.
        // The bus may not allow this user STREAM.MSG.GET on the stream: then the oldest
        // message this process holds is the best it knows (exact with one replica while it
        // pulls; 0 while it holds none).
        const held = () => Math.min(...this.unacked.values());
        const oldest = this.mayReadStream
          ? await jsm.streams
              .getMessage(stream, {
                seq: info.ack_floor.stream_seq + 1,
                next_by_subj: info.config.filter_subject ?? '>',
              } as unknown as { seq: number })
              .then((stored) => stored?.time.getTime())
              .catch((error: Error) => {
                if (/permission/i.test(`${error.name} ${error.message}`))
                  this.mayReadStream = false;
                return held();
              })
          : held();
        if (oldest !== undefined && Number.isFinite(oldest))
          oldestPendingAgeSeconds = Math.max(0, (Date.now() - oldest) / 1000);
      }
      return {
        pending: info.num_pending,
        ackPending: info.num_ack_pending,
        redelivered: info.num_redelivered,
        oldestPendingAgeSeconds,
      };
    })();
    this.lastState = { at: Date.now(), state };
    state.catch(() => {
      if (this.lastState?.state === state) this.lastState = undefined;
    });
    return state;
  }

  private config(filter: string) {
    return {
      durable_name: this.options.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_deliver: this.maxDeliver + 1, // one spare delivery to dead-letter the message ourselves
      max_ack_pending: this.concurrency,
      ack_wait: this.ackWaitMs * 1_000_000,
      filter_subject: filter,
    };
  }

  private async ensureConsumer(): Promise<void> {
    const jsm = await jetstreamManager(this.nats.connection);
    const stream = this.nats.streamName(this.options.stream);
    const existing = await jsm.consumers
      .info(stream, this.options.durable)
      .catch((error: unknown) => {
        if (error instanceof JetStreamApiError && error.status === 404) return null;
        throw error;
      });
    if (!existing) {
      await jsm.consumers.add(stream, this.config(this.filter));
      return;
    }
    const group = this.options.singleCompanyRelease;
    const own = this.options.filterSubjects[0];
    const upgrading = SingleCompanyUpgrade.pending(
      this.nats,
      group,
      existing.config.filter_subject,
      own,
    );
    const {
      durable_name: _name,
      deliver_policy: _policy,
      ...updatable
    } = this.config(upgrading?.drain ?? this.filter);
    await jsm.consumers.update(stream, this.options.durable, updatable);
    if (group && upgrading && !this.upgrade)
      this.upgrade = await SingleCompanyUpgrade.begin(
        this.nats,
        { stream, durable: this.options.durable },
        group,
        upgrading,
        own,
        existing.num_pending + existing.num_ack_pending,
        this.logger,
      );
  }

  /** The wire filter this consumer is for (one subject: see `filterSubjects`). */
  private get filter(): string {
    return this.nats.subject(this.options.filterSubjects[0]);
  }

  private async run(): Promise<void> {
    const js = jetstream(this.nats.connection);
    while (!this.stopped) {
      try {
        const consumer = await js.consumers.get(
          this.nats.streamName(this.options.stream),
          this.options.durable,
        );
        // Pulls renewed every few seconds, not the 30 s default: after a durable's filter
        // changed (the upgrade), nats-server 2.9 wakes a waiting pull only for its first
        // filter's subjects until it restarts; a new pull finds what arrived meanwhile.
        this.messages = await consumer.consume({ max_messages: 64, expires: 5_000 });
        for await (const msg of this.messages) {
          // Taken here, in the order received: its key's turn is given in that order.
          this.unacked.set(msg.seq, Number(msg.info.timestampNanos) / 1e6);
          const taken = this.take(msg);
          const key = 'event' in taken ? this.options.orderKey?.(taken.event) : undefined;
          this.inHand.hold(key, (turn) =>
            // Handled in the publisher's trace: the handler's logs and messages carry it on.
            inSenderTrace(msg, 'consumer', () => this.process(msg, taken, turn)),
          );
          // The next one once there is room (with concurrency 1: once this one is done).
          await this.inHand.room();
          if (this.stopped) break;
        }
      } catch (error) {
        if (this.stopped) break;
        this.logger.warn(`Consumer interrupted (${(error as Error).message}); resuming in 1 s`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await this.ensureConsumer().catch(() => undefined);
      }
    }
    await this.inHand.idle();
  }

  /**
   * What a message is, before any turn: not this consumer's (upgrading), invalid (why), or its
   * event. While upgrading, the single-company release's events are the first company's.
   */
  private take(msg: JsMsg): Taken<E> {
    const subject = this.nats.unqualify(msg.subject);
    // While upgrading, the durable drains its whole stream: what is not its own is only acked.
    if (this.upgrade && !this.upgrade.isOwn(subject)) return { foreign: true };
    try {
      const body: unknown = msg.json();
      const takenAs = this.upgrade?.takeAs(subject, body) ?? { body, subject };
      const parsed = parseEvent(takenAs.body);
      if (!parsed.ok) return { invalid: `invalid message: ${parsed.errors.join('; ')}` };
      // Events travel on their company's subject of their type: anything else there is forged.
      if (eventSubject(parsed.value.type, parsed.value.companyId) !== takenAs.subject)
        return {
          invalid: `invalid message: type ${parsed.value.type} of company ${parsed.value.companyId} published on ${subject}`,
        };
      return { event: parsed.value as unknown as E };
    } catch {
      return { invalid: 'invalid message: body is not JSON' };
    }
  }

  private async process(msg: JsMsg, taken: Taken<E>, turn: Promise<void>): Promise<void> {
    const attempt = msg.info.deliveryCount;
    let event = 'event' in taken ? taken.event : undefined;
    const letter = (
      kind: DeadLetterKind,
      reason: string,
    ): DeadLetter & { kind: DeadLetterKind } => ({
      kind,
      subject: this.nats.unqualify(msg.subject),
      streamSequence: msg.seq,
      deliveryCount: attempt,
      reason,
      body: msg.string(),
      event,
    });

    if ('foreign' in taken) {
      await msg.ackAck();
      this.unacked.delete(msg.seq);
      return;
    }
    if ('invalid' in taken) return await this.reject(msg, letter('invalid', taken.invalid));
    event = taken.event;

    if (attempt > this.maxDeliver) {
      return await this.reject(
        msg,
        letter('undeliverable', `gave up after ${this.maxDeliver} attempts`),
      );
    }
    // A slow handler (TalentLMS slow, retries), or an earlier event of its key's, must not have
    // the message redelivered meanwhile: another replica would handle it at the same time.
    const inProgress = setInterval(() => msg.working(), Math.max(100, this.ackWaitMs / 3));
    try {
      await turn;
      await this.options.handle(event, msg);
      clearInterval(inProgress);
      await msg.ackAck();
      this.unacked.delete(msg.seq);
      // One line per event handled (like an HTTP request's): with the trace id, it shows where
      // a change went.
      this.logger.log(`Handled ${event.type} ${event.eventId} (attempt ${attempt})`);
    } catch (error) {
      clearInterval(inProgress);
      const reason = (error as Error).message;
      if (error instanceof UntrustedMessageError) {
        event = undefined;
        return await this.reject(msg, letter('untrusted', `untrusted message: ${reason}`));
      }
      // Errors that say they cannot succeed later (retryable: false) are not worth retrying.
      if (!isRetryable(error) || attempt >= this.maxDeliver) {
        return await this.reject(
          msg,
          attempt >= this.maxDeliver
            ? letter('undeliverable', `gave up after ${attempt} attempts: ${reason}`)
            : letter('refused', reason),
        );
      }
      // A failure that says when to come back (`retryAfterMs`: a budget, a cooldown) is
      // retried then, not sooner: an early retry would only spend an attempt.
      const asked = Number((error as { retryAfterMs?: unknown }).retryAfterMs);
      const delay = backoff(
        attempt,
        this.options.backoff ?? DEFAULT_BACKOFF,
        Number.isFinite(asked) ? asked : 0,
      );
      this.logger.warn(
        `Attempt ${attempt} of ${event.type} ${event.eventId} failed (${reason}); retrying in ${delay} ms`,
      );
      msg.nak(delay);
    }
  }

  private async reject(
    msg: JsMsg,
    { kind, ...letter }: DeadLetter & { kind: DeadLetterKind },
  ): Promise<void> {
    try {
      await this.options.deadLetter(letter);
    } catch (error) {
      // Without a dead-letter record we must not drop it: leave it for redelivery.
      this.logger.error(`Could not record a dead letter (${(error as Error).message}); will retry`);
      msg.nak(5_000);
      return;
    }
    // By catalogue subject, not wire subject: one series per event type, whatever the companies.
    deadLetters().inc({ subject: subjectWithoutCompany(letter.subject), reason: kind });
    this.logger.error(
      `Dead-lettered ${letter.subject} #${letter.streamSequence}: ${letter.reason}`,
    );
    // No reason on +TERM: nats-server 2.9 (Debian 12) does not parse one and ignores the ack.
    msg.term();
    this.unacked.delete(msg.seq);
  }

  /** Stops taking messages; those in hand finish first. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.upgrade?.stop();
    watchConsumer(this, false);
    await this.messages?.close().catch(() => undefined);
    await this.loop;
    this.unacked.clear();
  }
}
