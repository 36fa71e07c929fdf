import type { NatsClientSettings } from '@talentsync/shared/config';

/**
 * What MessagingModule needs from the service's env (the NatsEnv fragment): the URL and the
 * identity (deploy/nats/nats-server.conf, see natsClientOptions), the namespace and timeout.
 */
export interface MessagingSettings extends NatsClientSettings {
  NATS_NAMESPACE?: string;
  NATS_CONNECT_TIMEOUT_MS: number;
}

/** A stream of the catalogue (`Streams` in @talentsync/contracts). */
export interface CatalogueStream {
  name: string;
  subjects: readonly string[];
}

export interface MessagingOptions {
  /** Shown to the NATS server as the connection name, and used as a default durable name. */
  service: string;
  /**
   * The event streams the service touches, provisioned at start so start order never
   * matters: those it publishes to are created and kept up to date, those it only consumes
   * are created when missing and never changed. The bus grants each identity exactly these
   * calls. Default: every catalogue stream, as a publisher (tests' own harnesses).
   */
  streams?: { publishes?: readonly CatalogueStream[]; consumes?: readonly CatalogueStream[] };
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
