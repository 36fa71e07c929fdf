import type { ConnectionOptions } from '@nats-io/transport-node';
import { natsUrlCredentials, withoutCredentials } from '@talentsync/shared/config';
import type { MessagingSettings } from './messaging.options';

/**
 * How a service connects: the servers without credentials, and its identity from
 * NATS_USER/NATS_PASSWORD or else from the first URL's `user:password@` (never handed to the
 * client inside a URL, so no client error can echo it). With an identity, replies come to
 * `_INBOX.<user>.…`: the server config lets only that user subscribe there.
 */
export function natsConnectOptions(env: MessagingSettings, service: string): ConnectionOptions {
  const fromUrl = natsUrlCredentials(env.NATS_URL);
  const user = env.NATS_USER ?? fromUrl?.user;
  const pass = env.NATS_USER ? env.NATS_PASSWORD : fromUrl?.pass;
  return {
    servers: env.NATS_URL.split(',').map((url) => withoutCredentials(url.trim())),
    name: service,
    ...(user ? { user, pass, inboxPrefix: `_INBOX.${user}` } : {}),
  };
}
