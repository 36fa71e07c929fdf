import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { processGauge } from '@talentsync/shared/messaging';
import { ScrapeDatabases } from '../scrape-databases';

/** The `state` label's values (push_queue_pushes). */
export const PUSH_QUEUE_STATES = ['queued', 'in_flight', 'retrying'] as const;

interface QueueSnapshot {
  queued: number;
  in_flight: number;
  retrying: number;
  oldest: number;
}

// A lease still running is in flight; a run-out one was tried, so it waits like a retry.
const SNAPSHOT = `
  SELECT count(*) FILTER (WHERE state = 'claimed' AND claimed_until >= now())::int AS in_flight,
         count(*) FILTER (WHERE NOT (state = 'claimed' AND claimed_until >= now())
                            AND attempts > 0)::int AS retrying,
         count(*) FILTER (WHERE NOT (state = 'claimed' AND claimed_until >= now())
                            AND attempts = 0)::int AS queued,
         coalesce(extract(epoch FROM now() - min(enqueued_at)), 0)::float8 AS oldest
    FROM push_queue`;

let pending: Promise<QueueSnapshot> | undefined;

/**
 * Every database's queue in one query each. prom-client collects all gauges of a scrape at
 * once, so both gauges share the read in progress: one query per scrape, not one per gauge.
 */
function snapshot(): Promise<QueueSnapshot> {
  pending ??= ScrapeDatabases.query<QueueSnapshot>(
    'the push queue by state, and its oldest push',
    SNAPSHOT,
  )
    .then((each) =>
      each.reduce<QueueSnapshot>(
        (sum, one) => ({
          queued: sum.queued + one.queued,
          in_flight: sum.in_flight + one.in_flight,
          retrying: sum.retrying + one.retrying,
          oldest: Math.max(sum.oldest, one.oldest),
        }),
        { queued: 0, in_flight: 0, retrying: 0, oldest: 0 },
      ),
    )
    .finally(() => {
      pending = undefined;
    });
  return pending;
}

/**
 * The push queue on /metrics, read at scrape across companies (no company label): pushes by
 * state and the age of the oldest, what PushBacklogGrowing watches now that the stream only
 * feeds the queue.
 */
@Injectable()
export class PushQueueGauges implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    processGauge(
      'pushQueuePushes',
      'Pushes in the queue by state: queued (not tried yet), in_flight (leased by a worker), ' +
        'retrying (tried, waiting for the next attempt)',
      async (gauge) => {
        const counts = await snapshot();
        for (const state of PUSH_QUEUE_STATES) gauge.set({ state }, counts[state]);
      },
    );
    processGauge(
      'pushQueueOldestAge',
      'Age of the oldest push not done yet, in any state; 0 when the queue is empty',
      async (gauge) => {
        gauge.set((await snapshot()).oldest);
      },
    );
    ScrapeDatabases.add(this.dataSource);
  }

  onApplicationShutdown(): void {
    ScrapeDatabases.remove(this.dataSource);
  }
}
