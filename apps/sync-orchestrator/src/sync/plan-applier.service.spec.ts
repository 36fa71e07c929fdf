import type { PlanItem } from '@talentsync/sync-rules';
import { CallMeter } from '../gateways/call-meter';
import type { EmployeeTrainingEntry, HrGateway } from '../gateways/hr.gateway';
import type { LmsGateway } from '../gateways/lms.gateway';
import type { RunsService } from '../runs/runs.service';
import type { ItemStatus, SyncRunItem } from '../runs/sync-run-item.entity';
import type { SyncEnv } from '../config/sync.env';
import type { LinksService } from './links.service';
import { PlanApplier } from './plan-applier.service';

// Unit test with fakes for hr-service and the run's rows: how training is batched, and what
// happens to a batch hr-service refuses. The real path is covered end to end (sync-directions).

const training = (n: number) => ({
  item: {
    action: 'store-training',
    side: 'hr',
    employeeId: `employee-${n}`,
    person: `Person ${n}`,
    reason: 'training from TalentLMS',
    changes: [],
    payload: { records: [{ courseId: '1', courseName: 'Safety', completionPercentage: n }] },
  } as unknown as PlanItem,
  row: { id: String(n), status: 'planned' } as SyncRunItem,
});

function applierWith(hr: Partial<HrGateway>, links = new Map<string, string>()) {
  const outcomes = new Map<string, { status: ItemStatus; error?: string }>();
  const runs = {
    markItem: async (row: SyncRunItem, status: ItemStatus, error?: string) => {
      outcomes.set(row.id, { status, ...(error ? { error } : {}) });
    },
    markDone: async (items: { row: SyncRunItem }[]) => {
      for (const { row } of items) outcomes.set(row.id, { status: 'done' });
    },
  };
  const applier = new PlanApplier(
    {} as LmsGateway,
    hr as HrGateway,
    {
      forLmsUser: async (_host: string, id: string) => links.get(id),
      forLmsUsers: async (_host: string, ids: string[]) =>
        new Map(ids.flatMap((id) => (links.has(id) ? [[id, links.get(id) as string]] : []))),
    } as unknown as LinksService,
    runs as unknown as RunsService,
    { SYNC_APPLY_CONCURRENCY: 4, SYNC_BUDGET_WAIT: '0s' } as SyncEnv,
  );
  const context = {
    runId: 'run',
    portal: {} as never,
    portalHost: 'portal',
    meter: new CallMeter(),
  };
  return { applier, outcomes, context };
}

describe('PlanApplier, training', () => {
  it('stores the training of many people in a few requests, and marks each done', async () => {
    const requests: EmployeeTrainingEntry[][] = [];
    const { applier, outcomes, context } = applierWith({
      storeTraining: async (entries) => void requests.push(entries),
    });
    const pairs = Array.from({ length: 1203 }, (_, n) => training(n));

    const failed = await applier.apply(
      context,
      pairs.map((p) => p.item),
      pairs.map((p) => p.row),
    );

    expect(failed).toBe(0);
    expect(requests.map((r) => r.length)).toEqual([500, 500, 203]);
    expect(requests.flat().map((e) => e.employeeId)).toEqual(pairs.map((p) => p.item.employeeId));
    expect([...outcomes.values()].every((o) => o.status === 'done')).toBe(true);
    expect(outcomes.size).toBe(1203);
  });

  it('applies a batch hr-service refuses one person at a time: only the bad one fails, with the reason', async () => {
    const requests: string[][] = [];
    const { applier, outcomes, context } = applierWith({
      storeTraining: async (entries) => {
        requests.push(entries.map((e) => e.employeeId));
        if (entries.some((e) => e.employeeId === 'employee-2')) {
          throw Object.assign(new Error('Unknown employee(s): employee-2'), {
            code: 'NOT_FOUND',
            retryable: false,
          });
        }
      },
    });
    const pairs = [0, 1, 2, 3].map(training);

    const failed = await applier.apply(
      context,
      pairs.map((p) => p.item),
      pairs.map((p) => p.row),
    );

    expect(failed).toBe(1);
    expect(requests[0]).toEqual(['employee-0', 'employee-1', 'employee-2', 'employee-3']);
    expect(requests.slice(1).sort()).toEqual([
      ['employee-0'],
      ['employee-1'],
      ['employee-2'],
      ['employee-3'],
    ]);
    expect(Object.fromEntries(outcomes)).toEqual({
      '0': { status: 'done' },
      '1': { status: 'done' },
      '2': { status: 'failed', error: 'NOT_FOUND: Unknown employee(s): employee-2' },
      '3': { status: 'done' },
    });
  });

  it('finds people this run created by their link; one without a link fails, saying so', async () => {
    const requests: string[][] = [];
    const { applier, outcomes, context } = applierWith(
      { storeTraining: async (entries) => void requests.push(entries.map((e) => e.employeeId)) },
      new Map([['lms-7', 'employee-7']]),
    );
    const byLmsUser = (n: number) => {
      const pair = training(n);
      pair.item = { ...pair.item, employeeId: undefined, lmsUserId: `lms-${n}` };
      return pair;
    };
    const pairs = [training(1), byLmsUser(7), byLmsUser(8)];

    const failed = await applier.apply(
      context,
      pairs.map((p) => p.item),
      pairs.map((p) => p.row),
    );

    expect(failed).toBe(1);
    expect(requests).toEqual([['employee-1', 'employee-7']]);
    expect(Object.fromEntries(outcomes)).toEqual({
      '1': { status: 'done' },
      '7': { status: 'done' },
      '8': {
        status: 'failed',
        error: 'PLAN_ITEM_UNLINKED: store-training: the person it needs is not linked yet',
      },
    });
  });
});
