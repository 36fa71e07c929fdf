/** What MessagingModule needs from the service's env (the NatsEnv fragment). */
export interface MessagingSettings {
  NATS_URL: string;
  NATS_NAMESPACE?: string;
  NATS_CONNECT_TIMEOUT_MS: number;
}

export interface MessagingOptions {
  /** Shown to the NATS server as the connection name, and used as a default durable name. */
  service: string;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
