import { Metrics } from './metrics';

describe('Metrics', () => {
  const entries = Object.entries(Metrics);

  it('names each metric once, the Prometheus way', () => {
    const names = entries.map(([, metric]) => metric.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('gives labels Prometheus accepts, never one that would be per person or per portal', () => {
    for (const [, metric] of entries)
      for (const label of metric.labels) {
        expect(label).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(['employee', 'user', 'portal', 'email', 'run', 'event']).not.toContain(label);
      }
  });
});
