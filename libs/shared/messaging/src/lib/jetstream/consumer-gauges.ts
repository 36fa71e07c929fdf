import { processGauge } from '../resilience/metrics';

/** How a durable consumer stands, as JetStream counts it. */
export interface ConsumerState {
  /** Messages not delivered yet: the backlog. */
  pending: number;
  /** Delivered and not acknowledged yet: in hand, or failed and waiting to be redelivered. */
  ackPending: number;
  /** Delivered more than once (their handler failed or was too slow). */
  redelivered: number;
  /** Age of the oldest message not acknowledged yet (0 when none): how far behind it is. */
  oldestPendingAgeSeconds: number;
}

// Every consumer started in this process, for the gauges below (one set per process).
interface WatchedConsumer {
  labels: { stream: string; durable: string };
  state(maxAgeMs: number): Promise<ConsumerState>;
}
const started = new Set<WatchedConsumer>();

const GAUGES: [
  'consumerPending' | 'consumerAckPending' | 'consumerRedelivered' | 'consumerOldestPendingAge',
  string,
  keyof ConsumerState,
][] = [
  [
    'consumerPending',
    'Messages of the stream the durable consumer has not received yet (its backlog)',
    'pending',
  ],
  [
    'consumerAckPending',
    'Messages received and not acknowledged yet (in hand, or failed and waiting for a retry)',
    'ackPending',
  ],
  [
    'consumerRedelivered',
    'Messages received more than once and not acknowledged yet',
    'redelivered',
  ],
  [
    'consumerOldestPendingAge',
    'Age of the oldest message the durable consumer has not acknowledged (0 when none)',
    'oldestPendingAgeSeconds',
  ],
];

/**
 * /metrics gauges of each running consumer's state, read from JetStream when scraped: a
 * backlog that grows while nothing is in hand is a consumer that stopped, one that grows
 * with a redelivered message in hand is a handler failing again and again.
 */
function registerGauges(): void {
  for (const [key, help, field] of GAUGES) {
    processGauge(key, help, async (gauge) => {
      gauge.reset();
      for (const consumer of started) {
        const state = await consumer.state(1_000).catch(() => undefined);
        if (state) gauge.set(consumer.labels, state[field]);
      }
    });
  }
}

/** Counts a consumer in the gauges while it runs (`running`), or no more. */
export function watchConsumer(consumer: WatchedConsumer, running: boolean): void {
  if (running) {
    registerGauges();
    started.add(consumer);
  } else {
    started.delete(consumer);
  }
}
