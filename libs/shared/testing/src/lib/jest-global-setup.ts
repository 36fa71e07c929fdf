import { deleteStaleTestStreams } from './stale-streams';
import { resolveTestInfra } from './test-infra';

/** Jest globalSetup for integration tiers: exports the infra URLs to every test worker. */
export default async function globalSetup(): Promise<void> {
  const infra = await resolveTestInfra();
  process.env.DATABASE_URL = infra.databaseUrl;
  process.env.NATS_URL = infra.natsUrl;
  (globalThis as { __TEST_INFRA__?: unknown }).__TEST_INFRA__ = infra;
  // Housekeeping only: a failure here must not fail the suite.
  await deleteStaleTestStreams(infra.natsUrl).catch(() => undefined);
}
