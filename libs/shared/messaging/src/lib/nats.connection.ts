import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection as CoreConnection } from '@nats-io/transport-node';
import { Streams } from '@talentsync/contracts';
import {
  APP_ENV,
  natsClientOptions,
  ReadinessCheck,
  ReadinessResult,
  redactNatsUrl,
} from '@talentsync/shared/config';
import { ensureStreams, StreamSpec } from './jetstream/streams';
import {
  MESSAGING_OPTIONS,
  type MessagingOptions,
  type MessagingSettings,
} from './messaging.options';

const RETRY_DELAY_MS = 1_000;

/**
 * The service's one NATS connection, shared by JetStream, request/reply and health.
 * Boot waits up to NATS_CONNECT_TIMEOUT_MS for a server; after that it reconnects forever.
 * NATS_NAMESPACE (tests only) prefixes every subject and stream name. The identity
 * (NATS_USER/NATS_PASSWORD) decides what the bus lets it do: deploy/nats/nats-server.conf.
 */
@Injectable()
export class NatsConnection implements OnModuleInit, OnApplicationShutdown, ReadinessCheck {
  readonly name = 'nats';
  private readonly logger = new Logger(NatsConnection.name);
  private nc?: CoreConnection;
  private connected = false;

  constructor(
    @Inject(APP_ENV) private readonly env: MessagingSettings,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    const deadline = Date.now() + this.env.NATS_CONNECT_TIMEOUT_MS;
    for (;;) {
      try {
        this.nc = await connect({
          ...natsClientOptions(this.env, this.options.service),
          maxReconnectAttempts: -1,
          reconnectTimeWait: RETRY_DELAY_MS,
          timeout: 2_000,
          // No Error (with its stack) built ahead of every request in case it fails: ~2% of a
          // busy orchestrator's CPU. NatsRpcClient names the subject and timeout in its errors.
          noAsyncTraces: true,
        });
        break;
      } catch (error) {
        if (Date.now() + RETRY_DELAY_MS > deadline) {
          throw new Error(
            `Cannot reach NATS at ${redactNatsUrl(this.env.NATS_URL)} (${(error as Error).message}). ` +
              'Start a server with JetStream, e.g. `nats-server -js` (see README, "Running locally").',
          );
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      }
    }
    this.connected = true;
    this.logger.log(`Connected to NATS at ${this.nc.getServer()}`);
    void this.watchStatus(this.nc);
    await this.provisionStreams();
  }

  /** Each service provisions the streams it touches, so start order never matters. */
  private async provisionStreams(): Promise<void> {
    const { publishes = [], consumes = [] } = this.options.streams ?? {
      publishes: Object.values(Streams),
    };
    const specs: StreamSpec[] = [
      ...publishes.map((stream) => ({ stream, owned: true })),
      ...consumes.map((stream) => ({ stream, owned: false })),
    ].map(({ stream, owned }) => ({
      name: this.streamName(stream.name),
      subjects: stream.subjects.map((subject) => this.subject(subject)),
      owned,
    }));
    if (specs.length === 0) return;
    await ensureStreams(await jetstreamManager(this.connection), specs);
  }

  private async watchStatus(nc: CoreConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        this.connected = false;
        this.logger.warn('Lost the NATS connection; reconnecting');
      } else if (status.type === 'reconnect') {
        this.connected = true;
        this.logger.log('Reconnected to NATS');
        // A server that lost its JetStream store comes back without streams.
        this.provisionStreams().catch((error: Error) =>
          this.logger.error(`Could not provision streams after reconnecting: ${error.message}`),
        );
      }
    }
  }

  get connection(): CoreConnection {
    if (!this.nc) throw new Error('NATS is not connected yet');
    return this.nc;
  }

  /** The wire subject for a catalogue subject (namespaced in tests). */
  subject(name: string): string {
    return this.env.NATS_NAMESPACE ? `${this.env.NATS_NAMESPACE}.${name}` : name;
  }

  /** The catalogue subject for a wire subject: the inverse of `subject`. */
  unqualify(wireSubject: string): string {
    const prefix = this.env.NATS_NAMESPACE ? `${this.env.NATS_NAMESPACE}.` : '';
    return prefix && wireSubject.startsWith(prefix)
      ? wireSubject.slice(prefix.length)
      : wireSubject;
  }

  /** The wire name of a stream (namespaced in tests). */
  streamName(name: string): string {
    return this.env.NATS_NAMESPACE ? `${this.env.NATS_NAMESPACE}_${name}` : name;
  }

  /** Up when connected and the server answers a round trip within a second. */
  async check(): Promise<ReadinessResult> {
    if (!this.nc || this.nc.isClosed() || !this.connected) {
      return { up: false, message: 'not connected to NATS' };
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.nc.flush(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('NATS did not answer within 1000 ms')), 1_000);
        }),
      ]);
      return { up: true, server: this.nc.getServer() };
    } catch (error) {
      return { up: false, message: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.nc && !this.nc.isClosed()) {
      await this.nc.drain().catch(() => this.nc?.close());
    }
  }
}
