import { MetricKey, Metrics } from '@talentsync/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { promqlNames } from './promql';

// The alert rules and the dashboard may read only what the services export: the catalogue's
// metrics (a histogram as its _bucket/_sum/_count series), Prometheus' own `up`, and the
// catalogue's labels plus the job/instance Prometheus adds and a histogram's `le`.
const ROOT = join(__dirname, '../../..');
const HISTOGRAMS: MetricKey[] = [
  'httpRequestDuration',
  'syncRunDuration',
  'pushLatency',
  'talentlmsCallDuration',
  'talentlmsBudgetWait',
  'syncPushStep',
  'dbPoolWait',
  'rpcRequestDuration',
];
const exportedMetrics = new Set([
  'up',
  ...Object.entries(Metrics).flatMap(([key, { name }]) =>
    HISTOGRAMS.includes(key as MetricKey)
      ? [`${name}_bucket`, `${name}_sum`, `${name}_count`]
      : [name],
  ),
]);
const exportedLabels = new Set([
  'job',
  'instance',
  'le',
  ...Object.values(Metrics).flatMap(({ labels }) => labels),
]);

/** The names in `expr` no service exports; empty when it reads only the catalogue. */
function unknownNames(expr: string): string[] {
  const { metrics, labels } = promqlNames(expr);
  return [
    ...metrics.filter((name) => !exportedMetrics.has(name)),
    ...labels.filter((name) => !exportedLabels.has(name)).map((name) => `label ${name}`),
  ];
}

const readYaml = (path: string) => parse(readFileSync(join(ROOT, path), 'utf8'));

interface Rule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rules: Rule[] = (
  readYaml('deploy/prometheus/alerts.yml') as { groups: { rules: Rule[] }[] }
).groups.flatMap((group) => group.rules);

interface Target {
  expr?: string;
  datasource?: { uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { uid?: string };
  targets?: Target[];
}
const dashboardText = readFileSync(join(ROOT, 'deploy/grafana/talentsync.json'), 'utf8');
const dashboard = JSON.parse(dashboardText) as { uid: string; title: string; panels: Panel[] };
const queryPanels = dashboard.panels.filter((panel) => panel.type !== 'row');

describe('the name check', () => {
  it('reports a metric or a label no service exports', () => {
    expect(unknownNames('sum by (tenant) (rate(sync_runs_total[5m]))')).toEqual([
      'sync_runs_total',
      'label tenant',
    ]);
    expect(unknownNames('rate(sync_run_items_total_bucket[5m])')).toEqual([
      'sync_run_items_total_bucket',
    ]);
    expect(unknownNames('histogram_quantile(0.9, rate(push_latency_seconds_bucket[5m]))')).toEqual(
      [],
    );
  });
});

describe('the catalogue', () => {
  it('has one per-company series, the last success; everything else stays low-cardinality', () => {
    const perCompany = Object.values(Metrics).filter(({ labels }) =>
      (labels as readonly string[]).includes('company'),
    );
    expect(perCompany.map(({ name }) => name)).toEqual([Metrics.syncLastSuccess.name]);
  });
});

describe('deploy/prometheus/alerts.yml', () => {
  const tests = readYaml('deploy/prometheus/alerts.test.yml') as {
    tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
  };
  const cases = tests.tests.flatMap((test) => test.alert_rule_test ?? []);

  it('has the alerts of issue 16', () => {
    expect(rules.map((rule) => rule.alert).sort()).toEqual([
      'DeadLettersAppearing',
      'ForgedLmsRequests',
      'NotificationsFailing',
      'OutboxNotDraining',
      'PushBacklogGrowing',
      'ServiceNotReady',
      'SyncNotSucceeding',
      'SyncPaused',
      'TalentLmsBudgetExhausted',
    ]);
  });

  it.each(rules.map((rule) => [rule.alert, rule] as const))(
    '%s reads only exported metrics and labels',
    (_, rule) => {
      expect(unknownNames(rule.expr)).toEqual([]);
      expect(promqlNames(rule.expr).metrics.length).toBeGreaterThan(0);
    },
  );

  it.each(rules.map((rule) => [rule.alert, rule] as const))(
    '%s has a severity, a summary and a description saying what to do',
    (_, rule) => {
      expect(['critical', 'warning']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toEqual(expect.any(String));
      expect(rule.annotations?.description?.length).toBeGreaterThan(80);
    },
  );

  it.each(rules.map((rule) => [rule.alert] as const))(
    '%s has a promtool case where it fires and one where it must not',
    (alert) => {
      const own = cases.filter((test) => test.alertname === alert);
      expect(own.some((test) => (test.exp_alerts ?? []).length > 0)).toBe(true);
      expect(own.some((test) => (test.exp_alerts ?? []).length === 0)).toBe(true);
    },
  );
});

describe('deploy/grafana/talentsync.json', () => {
  const provisioned = readYaml('deploy/grafana/provisioning/datasources/prometheus.yml') as {
    datasources: { uid: string }[];
  };

  it('is a dashboard with a row for runs, pushes, budget, outbox and errors', () => {
    expect(dashboard).toMatchObject({ uid: 'talentsync', title: 'TalentSync' });
    expect(
      dashboard.panels.filter((panel) => panel.type === 'row').map((row) => row.title),
    ).toEqual(['Runs', 'Pushes', 'TalentLMS budget', 'Outbox', 'Errors']);
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(queryPanels.map((panel) => [panel.title, panel] as const))(
    '"%s" queries only exported metrics, from the provisioned datasource',
    (_, panel) => {
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target.expr).toEqual(expect.any(String));
        expect(unknownNames(target.expr ?? '')).toEqual([]);
        expect(target.datasource?.uid).toBe(provisioned.datasources[0].uid);
      }
      expect(panel.datasource?.uid).toBe(provisioned.datasources[0].uid);
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
    },
  );
});
