import { Counter, Gauge, Histogram, register } from 'prom-client';
import { Metrics, type MetricKey } from '@talentsync/contracts';

/**
 * A metric of prom-client's default registry, made once per process: a second app instance in
 * the same process (tests, two replicas in one jest run) gets the one already registered.
 */
export function singleMetric<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * A counter of the catalogue (`Metrics` in @talentsync/contracts), with its name and labels
 * from there, made once per process: alert rules and the dashboard are written against those
 * names, so no metric is registered by a literal.
 */
export function processCounter(key: MetricKey, help: string): Counter {
  const { name, labels } = Metrics[key];
  return singleMetric(name, () => new Counter({ name, help, labelNames: [...labels] }));
}

/**
 * Buckets (seconds) for a step that takes from a millisecond (a cached read, a free pool
 * connection) to a slow portal's seconds: the pushes' steps, the pool waits, NATS requests.
 */
export const STEP_SECONDS_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/** A histogram of the catalogue, made once per process. */
export function processHistogram(key: MetricKey, help: string, buckets: number[]): Histogram {
  const { name, labels } = Metrics[key];
  return singleMetric(name, () => new Histogram({ name, help, labelNames: [...labels], buckets }));
}

/**
 * A gauge of the catalogue, made once per process. `collect` (optional) sets its values when
 * /metrics is scraped; it is the first caller's (later callers get the registered gauge).
 */
export function processGauge(
  key: MetricKey,
  help: string,
  collect?: (gauge: Gauge) => Promise<void> | void,
): Gauge {
  const { name, labels } = Metrics[key];
  return singleMetric(
    name,
    () =>
      new Gauge({
        name,
        help,
        labelNames: [...labels],
        ...(collect
          ? {
              async collect() {
                await collect(this);
              },
            }
          : {}),
      }),
  );
}
