/** What MessagingModule needs from the service's env (the NatsEnv fragment). */
export interface MessagingSettings {
  NATS_URL: string;
  /** The service's identity on the bus (deploy/nats/nats-server.conf); see natsConnectOptions. */
  NATS_USER?: string;
  NATS_PASSWORD?: string;
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
