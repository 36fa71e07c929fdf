import { Counter, Histogram } from 'prom-client';
import { singleMetric as single } from '@talentsync/shared/messaging';

const calls = single(
  'talentlms_calls_total',
  () =>
    new Counter({
      name: 'talentlms_calls_total',
      help: 'HTTP calls to TalentLMS by endpoint and outcome (ok or the LMS_* error code)',
      labelNames: ['endpoint', 'outcome'],
    }),
);

const latency = single(
  'talentlms_call_duration_seconds',
  () =>
    new Histogram({
      name: 'talentlms_call_duration_seconds',
      help: 'Time TalentLMS took to answer, by endpoint',
      labelNames: ['endpoint'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
);

const budgetWait = single(
  'talentlms_budget_wait_seconds',
  () =>
    new Histogram({
      name: 'talentlms_budget_wait_seconds',
      help: 'Time calls waited for room in the portal call budget',
      buckets: [0, 0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30],
    }),
);

const refused = single(
  'talentlms_calls_refused_total',
  () =>
    new Counter({
      name: 'talentlms_calls_refused_total',
      help: 'Calls not made because the budget had no room in time or the circuit was open',
      labelNames: ['reason'],
    }),
);

export const CallMetrics = {
  call(endpoint: string, outcome: string, seconds: number): void {
    calls.inc({ endpoint, outcome });
    latency.observe({ endpoint }, seconds);
  },
  waited(seconds: number): void {
    budgetWait.observe(seconds);
  },
  refused(reason: 'budget' | 'circuit'): void {
    refused.inc({ reason });
  },
};
