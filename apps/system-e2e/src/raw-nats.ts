import { connect, type NatsConnection } from '@nats-io/transport-node';
import { requiredEnv } from '@talentsync/shared/testing';

/**
 * Every raw NATS connection of the bus-abuse suite: an attacker's client on the bus. One place,
 * so a deployment with NATS identities gives it the identity under test (e.g. a publishing one).
 */
export function rawNats(name = 'bus-abuse-e2e'): Promise<NatsConnection> {
  return connect({ servers: requiredEnv('NATS_URL').split(','), name });
}
