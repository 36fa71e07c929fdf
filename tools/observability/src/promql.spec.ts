import { promqlNames } from './promql';

describe(promqlNames.name, () => {
  it.each([
    ['up == 0 or service_ready == 0', ['service_ready', 'up'], []],
    [
      'sum by (subject, reason) (increase(dead_letters_total{job!="x", subject=~"a.b|c"}[15m])) > 0',
      ['dead_letters_total'],
      ['job', 'reason', 'subject'],
    ],
    [
      'count(time() - max by(company) (sync_last_success_timestamp_seconds) > 26 * 3600) / max(sync_automatic_integrations)',
      ['sync_automatic_integrations', 'sync_last_success_timestamp_seconds'],
      ['company'],
    ],
    [
      'histogram_quantile(0.95, sum(rate(push_latency_seconds_bucket[5m])) by (le)) * 1e3',
      ['push_latency_seconds_bucket'],
      ['le'],
    ],
    [
      'avg_over_time((max(talentlms_budget_exhausted_portals) > bool 0)[1h:1m]) >= 0.75',
      ['talentlms_budget_exhausted_portals'],
      [],
    ],
  ])('%s reads metrics %j and labels %j', (expr, metrics, labels) => {
    expect(promqlNames(expr)).toEqual({ metrics, labels });
  });
});
