import {
  DiscardPolicy,
  JetStreamApiError,
  JetStreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';

export interface StreamSpec {
  name: string;
  subjects: readonly string[];
  /** Only the publisher brings an existing stream up to date; a consumer never changes it. */
  owned?: boolean;
}

const SECOND_NS = 1_000_000_000;

/** Retention and deduplication for every event stream. */
export const STREAM_DEFAULTS = {
  retention: RetentionPolicy.Limits,
  storage: StorageType.File,
  discard: DiscardPolicy.Old,
  /** Events are kept a week so a consumer that was down can catch up. */
  max_age: 7 * 24 * 3600 * SECOND_NS,
  /** The server drops a re-publish with the same Nats-Msg-Id inside this window. */
  duplicate_window: 120 * SECOND_NS,
  num_replicas: 1,
};

const sameSubjects = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((s, i) => s === [...b].sort()[i]);

/**
 * Creates each stream or brings the subjects of an owned one up to date; safe to call from
 * every service at every boot, also concurrently.
 */
export async function ensureStreams(jsm: JetStreamManager, specs: StreamSpec[]): Promise<void> {
  for (const spec of specs) {
    const info = await jsm.streams.info(spec.name).catch((error: unknown) => {
      if (error instanceof JetStreamApiError && error.status === 404) return null;
      throw error;
    });
    if (!info) {
      try {
        await jsm.streams.add({
          ...STREAM_DEFAULTS,
          name: spec.name,
          subjects: [...spec.subjects],
        });
      } catch (error) {
        // Another service created it between our info and add: same config, nothing to do.
        const raced = await jsm.streams.info(spec.name).catch(() => null);
        if (!raced) throw error;
      }
    } else if (spec.owned !== false && !sameSubjects(info.config.subjects ?? [], spec.subjects)) {
      await jsm.streams.update(spec.name, { ...info.config, subjects: [...spec.subjects] });
    }
  }
}
