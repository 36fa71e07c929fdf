import { processCounter, processHistogram } from '@talentsync/shared/messaging';

const calls = processCounter(
  'talentlmsCalls',
  'HTTP calls to TalentLMS by endpoint and outcome (ok or the LMS_* error code)',
);

const latency = processHistogram(
  'talentlmsCallDuration',
  'Time TalentLMS took to answer, by endpoint',
  [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
);

const budgetWait = processHistogram(
  'talentlmsBudgetWait',
  'Time calls waited for room in the portal call budget',
  [0, 0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30],
);

const refused = processCounter(
  'talentlmsCallsRefused',
  'Calls not made because the budget had no room in time or the circuit was open',
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
