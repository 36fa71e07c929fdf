import type { EmployeeRecord, LmsUser } from '@talentsync/contracts';
import { mustRewriteLatest, staleWriteReason, type PlanItem } from '@talentsync/sync-rules';
import { CallMeter } from '../gateways/call-meter';
import type { EmployeeTrainingEntry, HrGateway } from '../gateways/hr.gateway';
import type { LmsGateway } from '../gateways/lms.gateway';
import type { RunsService } from '../runs/runs.service';
import type { ItemStatus, SyncRunItem } from '../runs/sync-run-item.entity';
import type { SyncEnv } from '../config/sync.env';
import type { EmployeeVersionGuard } from './employee-version-guard';
import { LatestEmployeeWriter } from './latest-employee-writer';
import type { LinksService } from './links.service';
import { PlanApplier } from './plan-applier.service';

/** The guard's statements in memory, deciding with the same rules. */
function memoryGuard() {
  const versions = new Map<string, { reserved: number; written: number }>();
  const of = (id: string) => versions.get(id) ?? { reserved: 0, written: 0 };
  return {
    versions,
    guard: {
      reserve: async (_host: string, id: string, version: number) => {
        const seen = of(id);
        versions.set(id, { ...seen, reserved: Math.max(seen.reserved, version) });
        return staleWriteReason(version, seen);
      },
      written: async (_host: string, id: string, version: number) => {
        const seen = of(id);
        versions.set(id, { ...seen, written: Math.max(seen.written, version) });
        return mustRewriteLatest(version, seen.reserved);
      },
    } as unknown as EmployeeVersionGuard,
  };
}

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

function applierWith(
  hr: Partial<HrGateway>,
  links = new Map<string, string>(),
  lms: Partial<LmsGateway> = {},
) {
  const outcomes = new Map<string, { status: ItemStatus; error?: string }>();
  const runs = {
    markItem: async (row: SyncRunItem, status: ItemStatus, error?: string) => {
      outcomes.set(row.id, { status, ...(error ? { error } : {}) });
    },
    markDone: async (items: { row: SyncRunItem }[]) => {
      for (const { row } of items) outcomes.set(row.id, { status: 'done' });
    },
  };
  const { guard, versions } = memoryGuard();
  const applier = new PlanApplier(
    lms as LmsGateway,
    hr as HrGateway,
    {
      forLmsUser: async (_host: string, id: string) => links.get(id),
      forLmsUsers: async (_host: string, ids: string[]) =>
        new Map(ids.flatMap((id) => (links.has(id) ? [[id, links.get(id) as string]] : []))),
      link: async (_host: string, employeeId: string, lmsUserId: string) =>
        void links.set(lmsUserId, employeeId),
    } as unknown as LinksService,
    runs as unknown as RunsService,
    guard,
    new LatestEmployeeWriter(lms as LmsGateway, hr as HrGateway, guard),
    { SYNC_APPLY_CONCURRENCY: 4, SYNC_BUDGET_WAIT: '0s' } as SyncEnv,
  );
  const context = {
    runId: 'run',
    portal: {} as never,
    portalHost: 'portal',
    meter: new CallMeter(),
  };
  return { applier, outcomes, context, versions };
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
      '8': { status: 'failed', error: 'store-training: the person it needs is not linked yet' },
    });
  });
});

const ada = (version: number, lastName: string): EmployeeRecord =>
  ({
    id: 'ada',
    version,
    status: 'active',
    firstName: 'Ada',
    lastName,
    email: 'ada@example.com',
    language: 'en',
    attributes: {},
  }) as unknown as EmployeeRecord;

const creation = (lastName: string) =>
  ({
    action: 'create-lms-user',
    side: 'lms',
    employeeId: 'ada',
    person: `Ada ${lastName}`,
    reason: 'active in HR',
    changes: [],
    link: true,
    payload: {
      fields: {
        firstName: 'Ada',
        lastName,
        email: 'ada@example.com',
        language: 'en',
        attributes: {},
      },
    },
  }) as unknown as PlanItem;

describe('PlanApplier, versions of an employee', () => {
  /** TalentLMS with Ada's account already there (created by a push with newer data). */
  function portalWithAda(lastName: string) {
    const calls: string[] = [];
    const lms: Partial<LmsGateway> = {
      customFields: async () => [],
      createUser: async () => {
        calls.push('createUser');
        throw Object.assign(new Error('e-mail taken'), {
          code: 'LMS_DUPLICATE_EMAIL',
          details: { existingUserId: 'lms-1' },
        });
      },
      getUser: async () =>
        ({
          id: 'lms-1',
          status: 'active',
          firstName: 'Ada',
          lastName,
          email: 'ada@example.com',
          language: 'en',
          attributes: {},
        }) as unknown as LmsUser,
      setStatus: async (_p, _id, status) => void calls.push(`setStatus ${status}`),
      updateUser: async (_p, _id, fields) =>
        void calls.push(`updateUser ${JSON.stringify(fields)}`),
    };
    return { lms, calls };
  }

  it('skips a write older than one already made for the person, calling nobody', async () => {
    const { lms, calls } = portalWithAda('Newer');
    const { applier, context, versions } = applierWith({}, new Map(), lms);
    versions.set('ada', { reserved: 3, written: 3 });

    const outcome = await applier.applyOne(
      { ...context, employeeVersions: new Map([['ada', 2]]) },
      creation('Older'),
    );

    expect(outcome).toEqual({
      skipped: 'not written: HR version 2 is older than version 3 already written to TalentLMS',
    });
    expect(calls).toEqual([]);
  });

  it("adopts an account found by e-mail with the latest HR data, not the plan's, and no needless status change", async () => {
    const { lms, calls } = portalWithAda('Newer');
    const hrReads: string[] = [];
    const { applier, context, versions } = applierWith(
      { getEmployee: async (id) => (hrReads.push(id), ada(3, 'Newest')) },
      new Map(),
      lms,
    );

    const outcome = await applier.applyOne(
      { ...context, employeeVersions: new Map([['ada', 2]]) },
      creation('Older'),
    );

    expect(outcome).toEqual({ lmsUserId: 'lms-1' });
    expect(hrReads).toEqual(['ada']);
    expect(calls).toEqual(['createUser', 'updateUser {"lastName":"Newest"}']);
    expect(versions.get('ada')).toEqual({ reserved: 3, written: 3 });
  });

  it('stops taking items when told to halt, leaving them planned, and says why', async () => {
    const stored: string[] = [];
    const { applier, outcomes, context } = applierWith({
      storeTraining: async (entries) => void stored.push(...entries.map((e) => e.employeeId)),
    });
    const pairs = [0, 1, 2].map(training);
    const handedOver = new Error('handed over');

    await expect(
      applier.apply(
        { ...context, halt: () => handedOver },
        pairs.map((p) => p.item),
        pairs.map((p) => p.row),
      ),
    ).rejects.toBe(handedOver);
    expect(stored).toEqual([]);
    expect(outcomes.size).toBe(0);
  });
});
