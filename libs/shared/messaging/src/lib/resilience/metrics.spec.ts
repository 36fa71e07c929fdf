import { register } from 'prom-client';
import { Metrics } from '@talentsync/contracts';
import { processCounter, processGauge, processHistogram } from './metrics';

describe('catalogue metrics', () => {
  afterEach(() => register.clear());

  it('registers a metric under its catalogue name and labels, once per process', async () => {
    const sut = processCounter('deadLetters', 'dead letters');
    expect(processCounter('deadLetters', 'another help')).toBe(sut);
    sut.inc({ subject: 'employee.hired', reason: 'invalid' });
    expect(await register.getSingleMetricAsString(Metrics.deadLetters.name)).toContain(
      'dead_letters_total{subject="employee.hired",reason="invalid"} 1',
    );
    expect(() => sut.inc({ portal: 'x' } as never)).toThrow(/label/i);
  });

  it('computes a gauge at scrape with its collect', async () => {
    let unsent = 3;
    processGauge('outboxUnsent', 'unsent', (gauge) => gauge.set({ service: 'svc' }, unsent));
    expect(await register.getSingleMetricAsString(Metrics.outboxUnsent.name)).toContain(
      'outbox_unsent_rows{service="svc"} 3',
    );
    unsent = 0;
    expect(await register.getSingleMetricAsString(Metrics.outboxUnsent.name)).toContain(
      'outbox_unsent_rows{service="svc"} 0',
    );
  });

  it('gives a histogram its buckets', async () => {
    processHistogram('pushLatency', 'latency', [1, 10]).observe({ outcome: 'done' }, 2);
    const text = await register.getSingleMetricAsString(Metrics.pushLatency.name);
    expect(text).toContain('push_latency_seconds_bucket{le="1",outcome="done"} 0');
    expect(text).toContain('push_latency_seconds_bucket{le="10",outcome="done"} 1');
  });
});
