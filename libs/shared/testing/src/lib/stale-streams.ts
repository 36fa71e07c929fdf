import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** Streams of a test namespace (`t1a2b3c4d_EMPLOYEE`, `e2e1a2b3c4d_SYNC`, `bench…`). */
const TEST_STREAM = /^(t|e2e|bench)[0-9a-f]{8}_/;

/**
 * Deletes test namespaces' streams left on a shared NATS server by suites that ended without
 * cleaning up (killed runs, forgotten teardowns), so the server does not fill up run after run.
 * Only streams untouched for `idleMs` go: a suite running beside this one keeps its streams.
 */
export async function deleteStaleTestStreams(
  natsUrl: string,
  idleMs = 30 * 60_000,
): Promise<number> {
  const nc = await connect({ servers: natsUrl, timeout: 3_000 });
  let deleted = 0;
  try {
    const jsm = await jetstreamManager(nc);
    const cutoff = Date.now() - idleMs;
    for await (const stream of jsm.streams.list()) {
      const lastTouched = Math.max(
        Date.parse(stream.created),
        stream.state.last_ts ? Date.parse(stream.state.last_ts) : 0,
      );
      if (TEST_STREAM.test(stream.config.name) && lastTouched < cutoff) {
        await jsm.streams.delete(stream.config.name);
        deleted += 1;
      }
    }
  } finally {
    await nc.close();
  }
  return deleted;
}
