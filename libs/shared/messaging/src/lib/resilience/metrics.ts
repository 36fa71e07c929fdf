import { Counter, register } from 'prom-client';

/**
 * A metric of prom-client's default registry, made once per process: a second app instance in
 * the same process (tests, two replicas in one jest run) gets the one already registered.
 */
export function singleMetric<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

/** A label-less counter, made once per process. */
export function processCounter(name: string, help: string): Counter {
  return singleMetric(name, () => new Counter({ name, help }));
}
