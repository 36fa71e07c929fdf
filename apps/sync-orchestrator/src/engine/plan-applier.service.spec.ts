import {
  plannedOutcome,
  type CreateLmsUserItem,
  type PlanItem,
  type StoreTrainingItem,
} from '@talentsync/sync-rules';
import { CallMeter } from '../gateways/call-meter';
import type { EmployeeTrainingEntry, HrGateway } from '../gateways/hr.gateway';
import type { LmsGateway } from '../gateways/lms.gateway';
import { PushRecorder } from '../push/push-recorder';
import type { SyncEnv } from '../config/sync.env';
import { RunItemGate } from './run-item-gate';
import { RunRecorder, type RunControl } from '../runs/run-recorder';
import type { ItemStatus, SyncRunItem } from '../runs/sync-run-item.entity';
import {
  WITHOUT_DATABASE,
  COMPANY,
  employeeRecord,
  FakeHr,
  FakeLinks,
  FakeLms,
  FakeVersionGuard,
  PORTAL,
} from './fake-gateways';
import type { EntityManager } from 'typeorm';
import type { AppliedWrite } from './apply-recorder';
import type { CompanyTransactions } from './company-transactions';
import { LatestEmployeeWriter } from './latest-employee-writer';
import type { LinksService } from './links.service';
import { PlanApplier } from './plan-applier.service';

// Unit test with fakes for hr-service and the run's rows: how training is batched, and what
// happens to a batch hr-service refuses. The real path is covered end to end (sync-directions).

const training = (n: number): { item: StoreTrainingItem; row: SyncRunItem } => ({
  item: {
    action: 'store-training',
    side: 'hr',
    employeeId: `employee-${n}`,
    lmsUserId: `lms-${n}`,
    person: `Person ${n}`,
    reason: 'training from TalentLMS',
    changes: [],
    payload: {
      records: [
        {
          courseId: '1',
          courseName: 'Safety',
          enrolledAt: null,
          completionStatus: 'in-progress',
          completionPercentage: n,
          completedAt: null,
          totalTimeSeconds: 0,
        },
      ],
    },
  },
  row: { id: String(n), status: 'planned' } as SyncRunItem,
});

function applierWith(
  hr: Partial<HrGateway>,
  links = new Map<string, string>(),
  control?: RunControl,
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
  const guard = new FakeVersionGuard().asGuard();
  const applier = new PlanApplier(
    {} as LmsGateway,
    hr as HrGateway,
    {
      forLmsUser: async (_company: string, _host: string, id: string) => links.get(id),
      forLmsUsers: async (_company: string, _host: string, ids: string[]) =>
        new Map(ids.flatMap((id) => (links.has(id) ? [[id, links.get(id) as string]] : []))),
    } as unknown as LinksService,
    guard,
    new LatestEmployeeWriter({} as LmsGateway, hr as HrGateway, guard),
    WITHOUT_DATABASE,
  );
  const apply = (pairs: { item: StoreTrainingItem; row: SyncRunItem }[]) => {
    const items = pairs.map((p) => p.item);
    const recorder = new RunRecorder(
      runs,
      items,
      pairs.map((p) => p.row),
      { attempts: 1 },
      4,
      control,
    );
    return applier.apply(
      {
        companyId: COMPANY,
        items,
        portal: {} as never,
        portalHost: 'portal',
        meter: new CallMeter(),
        employeeVersions: new Map(),
      },
      recorder,
    );
  };
  return { apply, outcomes };
}

describe('PlanApplier, training', () => {
  it('stores the training of many people in a few requests, and marks each done', async () => {
    const requests: EmployeeTrainingEntry[][] = [];
    const { apply, outcomes } = applierWith({
      storeTraining: async (_company, entries) => void requests.push(entries),
    });
    const pairs = Array.from({ length: 1203 }, (_, n) => training(n));

    const failed = await apply(pairs);

    expect(failed).toBe(0);
    expect(requests.map((r) => r.length)).toEqual([500, 500, 203]);
    expect(requests.flat().map((e) => e.employeeId)).toEqual(pairs.map((p) => p.item.employeeId));
    expect([...outcomes.values()].every((o) => o.status === 'done')).toBe(true);
    expect(outcomes.size).toBe(1203);
  });

  it('applies a batch hr-service refuses one person at a time: only the bad one fails, with the reason', async () => {
    const requests: string[][] = [];
    const { apply, outcomes } = applierWith({
      storeTraining: async (_company, entries) => {
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

    const failed = await apply(pairs);

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
    const { apply, outcomes } = applierWith(
      {
        storeTraining: async (_company, entries) =>
          void requests.push(entries.map((e) => e.employeeId)),
      },
      new Map([['lms-7', 'employee-7']]),
    );
    const byLmsUser = (n: number) => {
      const pair = training(n);
      pair.item = { ...pair.item, employeeId: undefined };
      return pair;
    };
    const pairs = [training(1), byLmsUser(7), byLmsUser(8)];

    const failed = await apply(pairs);

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

  it('a halted run stores no training, leaves every item planned and throws the halt error', async () => {
    const requests: string[][] = [];
    const handedOver = new Error('handed over');
    const { apply, outcomes } = applierWith(
      {
        storeTraining: async (_company, entries) =>
          void requests.push(entries.map((e) => e.employeeId)),
      },
      new Map(),
      { stopped: () => undefined, halted: () => handedOver },
    );

    await expect(apply([0, 1, 2].map(training))).rejects.toBe(handedOver);

    expect(requests).toEqual([]);
    expect(outcomes.size).toBe(0);
  });
});

describe('PlanApplier, people, through the run and push recorders', () => {
  const create = (employeeId: string, email = `${employeeId}@example.com`): CreateLmsUserItem => ({
    action: 'create-lms-user',
    side: 'lms',
    employeeId,
    person: employeeId,
    reason: 'active in HR',
    changes: [],
    link: true,
    payload: {
      fields: { firstName: 'Ada', lastName: 'New', email, language: 'en', attributes: {} },
    },
  });
  const deactivate = (employeeId: string, lmsUserId: string): PlanItem => ({
    action: 'deactivate-lms-user',
    side: 'lms',
    employeeId,
    lmsUserId,
    person: employeeId,
    reason: 'terminated in HR',
    changes: [],
    link: false,
  });
  const skip: PlanItem = {
    action: 'skip',
    side: 'lms',
    person: 'x',
    reason: 'in sync',
    changes: [],
  };

  function setUp(transactions: CompanyTransactions = WITHOUT_DATABASE, gate?: RunItemGate) {
    const lms = new FakeLms();
    const hr = new FakeHr();
    const links = new FakeLinks();
    const guard = new FakeVersionGuard();
    const sut = new PlanApplier(
      lms,
      hr,
      links.asService(),
      guard.asGuard(),
      new LatestEmployeeWriter(lms, hr, guard.asGuard()),
      transactions,
      gate,
    );
    const plan = (items: PlanItem[], employeeVersions = new Map<string, number>()) => ({
      companyId: COMPANY,
      items,
      portal: PORTAL,
      portalHost: 'acme.talentlms.com',
      meter: new CallMeter(),
      employeeVersions,
    });
    const outcomes = new Map<string, { status: ItemStatus; error?: string; lmsUserId?: string }>();
    /** The transaction each item's outcome was recorded in (undefined: one of its own). */
    const recordedIn = new Map<string, EntityManager | undefined>();
    const runs = {
      markItem: async (
        row: SyncRunItem,
        status: ItemStatus,
        error?: string,
        ids?: { lmsUserId?: string },
        manager?: EntityManager,
      ) => {
        recordedIn.set(row.id, manager);
        outcomes.set(row.id, {
          status,
          ...(error ? { error } : {}),
          ...(ids?.lmsUserId ? { lmsUserId: ids.lmsUserId } : {}),
        });
      },
      markDone: async () => undefined,
    };
    const runRecorder = (
      items: PlanItem[],
      control: Partial<RunControl> = {},
      status = (item: PlanItem, _i: number): ItemStatus => plannedOutcome(item),
    ) =>
      new RunRecorder(
        runs,
        items,
        items.map((item, i) => ({ id: String(i), status: status(item, i) }) as SyncRunItem),
        { attempts: 2, baseMs: 1 },
        4,
        { stopped: () => undefined, halted: () => undefined, ...control },
      );
    return { lms, hr, links, guard, sut, plan, outcomes, recordedIn, runRecorder };
  }

  it('stores what a write learnt in one transaction: its link, the version written, its outcome', async () => {
    const opened: EntityManager[] = [];
    const { links, guard, sut, plan, recordedIn, runRecorder } = setUp({
      run: async <T>(_company: string, work: (m: EntityManager) => Promise<T>) => {
        const manager = { transaction: opened.length } as unknown as EntityManager;
        opened.push(manager);
        return work(manager);
      },
    } as CompanyTransactions);
    const linkedIn = jest.spyOn(links, 'link');
    const writtenIn = jest.spyOn(guard, 'written');
    const items = [create('e1')];

    await sut.apply(plan(items, new Map([['e1', 3]])), runRecorder(items));

    expect(opened).toHaveLength(1);
    expect(linkedIn.mock.calls[0][4]).toBe(opened[0]);
    expect(writtenIn.mock.calls[0][4]).toBe(opened[0]);
    expect(recordedIn.get('0')).toBe(opened[0]);
  });

  describe('a run recorder that stores a write in one statement (RunsService.recordApplied)', () => {
    /**
     * The statement played on the fakes: link, version written, and the item done unless a
     * newer reservation makes the writer write the latest again. `recordAnyway` plays a
     * statement that disagrees with the guard's rule.
     */
    function withOneStatement(recordAnyway = false, rowGone = false) {
      const parts = setUp();
      const { links, guard, outcomes } = parts;
      const statements: { write: AppliedWrite; manager: EntityManager }[] = [];
      const marks: { status: ItemStatus; manager?: EntityManager }[] = [];
      const runs = {
        markItem: async (
          row: SyncRunItem,
          status: ItemStatus,
          error?: string,
          _ids?: unknown,
          manager?: EntityManager,
        ) => {
          marks.push({ status, manager });
          if (!rowGone) outcomes.set(row.id, { status, ...(error ? { error } : {}) });
        },
        markDone: async () => undefined,
        recordApplied: async (row: SyncRunItem, write: AppliedWrite, manager: EntityManager) => {
          statements.push({ write, manager });
          if (write.link) links.byEmployee.set(write.link.employeeId, write.link.lmsUserId);
          const seen = write.written && guard.versions.get(write.written.employeeId);
          if (write.written && seen)
            guard.versions.set(write.written.employeeId, {
              ...seen,
              written: Math.max(seen.written, write.written.version),
            });
          const crossed = seen !== undefined && seen.reserved > (write.written?.version ?? 0);
          const recorded = !rowGone && (recordAnyway || !(write.mayRewrite && crossed));
          if (recorded) outcomes.set(row.id, { status: 'done', lmsUserId: write.ids.lmsUserId });
          return { ...(seen ? { reserved: seen.reserved } : {}), recorded };
        },
      };
      const recorder = (items: PlanItem[]) =>
        new RunRecorder(
          runs,
          items,
          items.map((_item, i) => ({ id: String(i), status: 'planned' }) as SyncRunItem),
          { attempts: 1 },
          4,
        );
      return { ...parts, statements, marks, recorder };
    }

    it('stores the link, the version written and the outcome in one statement, calling neither the links nor the guard to record', async () => {
      const { links, guard, sut, plan, outcomes, statements, recorder } = withOneStatement();
      const linked = jest.spyOn(links, 'link');
      const written = jest.spyOn(guard, 'written');
      const items = [create('e1')];

      const failed = await sut.apply(plan(items, new Map([['e1', 3]])), recorder(items));

      expect(failed).toBe(0);
      const lmsUserId = links.byEmployee.get('e1');
      expect(lmsUserId).toBeDefined();
      expect(statements.map(({ write }) => write)).toEqual([
        {
          companyId: COMPANY,
          portalHost: 'acme.talentlms.com',
          link: { employeeId: 'e1', lmsUserId },
          written: { employeeId: 'e1', version: 3 },
          ids: { lmsUserId },
          mayRewrite: true,
        },
      ]);
      expect([linked.mock.calls.length, written.mock.calls.length]).toEqual([0, 0]);
      expect(guard.versions.get('e1')).toEqual({ reserved: 3, written: 3 });
      expect(outcomes.get('0')).toEqual({ status: 'done', lmsUserId });
    });

    it('a write crossed by a newer reservation is not recorded by its statement: the latest is written, then it is done', async () => {
      const { lms, hr, guard, sut, plan, outcomes, statements, recorder } = withOneStatement();
      hr.employees.set(
        'ada',
        employeeRecord('ada', { lastName: 'Newest', email: 'ada@example.com', version: 5 }),
      );
      // A push reserves version 5 while the run's create (version 2) is under way.
      const create2 = lms.createUser.bind(lms);
      jest.spyOn(lms, 'createUser').mockImplementation(async (...args) => {
        guard.versions.set('ada', { reserved: 5, written: 0 });
        return create2(...args);
      });
      const items = [create('ada', 'ada@example.com')];

      await sut.apply(plan(items, new Map([['ada', 2]])), recorder(items));

      expect(statements).toHaveLength(1);
      expect(lms.calls).toContain('updateUser'); // the latest, version 5, written again
      expect(guard.versions.get('ada')).toEqual({ reserved: 5, written: 5 });
      expect(outcomes.get('0')?.status).toBe('done');
    });

    it("an item whose row the statement did not find (a new owner replaced the run's plan) keeps its link and is marked as before, in the same transaction", async () => {
      const { links, sut, plan, statements, marks, recorder } = withOneStatement(false, true);
      const items = [create('e1')];

      const failed = await sut.apply(plan(items, new Map([['e1', 3]])), recorder(items));

      expect(failed).toBe(0);
      expect(links.byEmployee.get('e1')).toBeDefined();
      expect(marks).toEqual([{ status: 'done', manager: statements[0].manager }]);
    });

    it('an item whose statement disagrees with the guard fails, nothing of it kept as done', async () => {
      const { hr, lms, guard, sut, plan, outcomes, recorder } = withOneStatement(true);
      hr.employees.set('ada', employeeRecord('ada', { email: 'ada@example.com', version: 5 }));
      const create2 = lms.createUser.bind(lms);
      jest.spyOn(lms, 'createUser').mockImplementation(async (...args) => {
        guard.versions.set('ada', { reserved: 5, written: 0 });
        return create2(...args);
      });
      const items = [create('ada', 'ada@example.com')];

      const failed = await sut.apply(plan(items, new Map([['ada', 2]])), recorder(items));

      expect(failed).toBe(1);
      expect(outcomes.get('0')?.status).toBe('failed');
      expect(outcomes.get('0')?.error).toMatch(/disagree/);
    });
  });

  it('creates the LMS user, links it, and records the id it learnt', async () => {
    const { lms, links, sut, plan, outcomes, runRecorder } = setUp();
    const items = [create('e1')];

    const failed = await sut.apply(plan(items), runRecorder(items));

    expect(failed).toBe(0);
    const [user] = [...lms.users.values()];
    expect(user.email).toBe('e1@example.com');
    expect(links.byEmployee.get('e1')).toBe(user.id);
    expect(outcomes.get('0')).toEqual({ status: 'done', lmsUserId: user.id });
  });

  it('adopts the user that already holds the e-mail (a create whose answer was lost), with the HR data', async () => {
    const { lms, hr, links, sut, plan, outcomes, runRecorder } = setUp();
    const existing = await lms.createUser(PORTAL, create('e1').payload.fields, new CallMeter());
    await lms.setStatus(PORTAL, existing.id, 'inactive', new CallMeter());
    hr.employees.set('e1', employeeRecord('e1'));
    lms.calls.length = 0;
    const items = [create('e1')];

    await sut.apply(plan(items), runRecorder(items));

    expect(lms.calls).toEqual([
      'createUser',
      'customFields',
      'getUser',
      'setStatus active',
      'updateUser',
    ]);
    expect(lms.users.size).toBe(1);
    expect(lms.users.get(existing.id)).toMatchObject({
      status: 'active',
      firstName: 'Firste1',
      lastName: 'Laste1',
    });
    expect(links.byEmployee.get('e1')).toBe(existing.id);
    expect(outcomes.get('0')).toEqual({ status: 'done', lmsUserId: existing.id });
  });

  it('a run records a failure with its reason and goes on with the other items', async () => {
    const { lms, sut, plan, outcomes, runRecorder } = setUp();
    lms.failures.set('createUser', [
      Object.assign(new Error('portal says no'), { code: 'LMS_REFUSED', retryable: false }),
    ]);
    const items = [create('e1'), create('e2'), skip];

    const failed = await sut.apply(plan(items), runRecorder(items));

    expect(failed).toBe(1);
    const statuses = [...outcomes.values()].map((o) => o.status).sort();
    expect(statuses).toEqual(['done', 'failed']);
    expect([...outcomes.values()].find((o) => o.status === 'failed')?.error).toBe(
      'LMS_REFUSED: portal says no',
    );
    expect(outcomes.has('2')).toBe(false); // the skip was recorded with the plan, not applied
  });

  it('a run retries a retryable failure before recording the item done', async () => {
    const { lms, sut, plan, outcomes, runRecorder } = setUp();
    lms.failures.set('createUser', [Object.assign(new Error('blip'), { retryable: true })]);
    const items = [create('e1')];

    await expect(sut.apply(plan(items), runRecorder(items))).resolves.toBe(0);

    expect(lms.calls.filter((c) => c === 'createUser')).toHaveLength(2);
    expect(outcomes.get('0')?.status).toBe('done');
  });

  it('a stopped run applies nothing more and records each item left as skipped, saying why', async () => {
    const { lms, sut, plan, outcomes, runRecorder } = setUp();
    const items = [create('e1'), create('e2')];

    await sut.apply(
      plan(items),
      runRecorder(items, { stopped: () => 'the integration was deactivated' }),
    );

    expect(lms.calls).toEqual([]);
    expect(outcomes.get('0')).toEqual({
      status: 'skipped',
      error: 'not applied: the integration was deactivated',
    });
  });

  it('a resumed run applies only the items still planned', async () => {
    const { lms, sut, plan, runRecorder } = setUp();
    const items = [create('e1'), create('e2')];
    // e1 was applied before the run was cut off
    const runs = runRecorder(items, {}, (_item, i) => (i === 0 ? 'done' : 'planned'));

    await sut.apply(plan(items), runs);

    expect([...lms.users.values()].map((u) => u.email)).toEqual(['e2@example.com']);
  });

  it('a push applies its writes one at a time in plan order and gives the first failure back', async () => {
    const { lms, sut, plan } = setUp();
    await lms.createUser(PORTAL, create('e9').payload.fields, new CallMeter());
    lms.calls.length = 0;
    lms.failures.set('setStatus inactive', [
      Object.assign(new Error('circuit open'), { code: 'LMS_UNAVAILABLE', retryable: false }),
    ]);
    const recorder = new PushRecorder();
    const items = [create('e1'), deactivate('e9', '101'), skip];

    await expect(sut.apply(plan(items), recorder)).rejects.toThrow('circuit open');

    expect(lms.calls).toEqual(['createUser', 'setStatus inactive']);
    expect(recorder.applied.map((i) => i.action)).toEqual(['create-lms-user']);
  });

  it('an enrolment TalentLMS refuses for good marks the HR request failed, with why', async () => {
    const { lms, hr, links, sut, plan, outcomes, runRecorder } = setUp();
    await links.link(COMPANY, 'host', 'e1', '101');
    lms.failures.set('enrol 101 7', [
      Object.assign(new Error('no such course'), { code: 'LMS_NOT_FOUND', retryable: false }),
    ]);
    const items: PlanItem[] = [
      {
        action: 'enrol-in-lms',
        side: 'lms',
        employeeId: 'e1',
        person: 'e1',
        reason: 'enrolled from HR',
        changes: [{ field: 'course 7', before: null, after: 'enrolled' }],
        payload: { requestId: 'r1', courseId: '7', alreadyEnrolled: false },
      },
    ];

    await sut.apply(plan(items), runRecorder(items));

    expect(hr.enrolments).toEqual([
      { requestId: 'r1', outcome: 'failed', reason: 'LMS_NOT_FOUND: no such course' },
    ]);
    expect(outcomes.get('0')?.status).toBe('failed');
  });

  describe('versions of an employee', () => {
    const ada = (version: number, lastName: string) =>
      employeeRecord('ada', { firstName: 'Ada', lastName, email: 'ada@example.com', version });

    it('skips a write older than one already made for the person, with the reason, calling nobody', async () => {
      const { lms, guard, sut, plan, outcomes, runRecorder } = setUp();
      guard.versions.set('ada', { reserved: 3, written: 3 }); // a push wrote version 3
      const items = [create('ada', 'ada@example.com')];

      const failed = await sut.apply(plan(items, new Map([['ada', 2]])), runRecorder(items));

      expect(failed).toBe(0);
      expect(lms.calls).toEqual([]);
      expect(outcomes.get('0')).toEqual({
        status: 'skipped',
        error: 'not written: HR version 2 is older than version 3 already written to TalentLMS',
      });
      expect(guard.versions.get('ada')).toEqual({ reserved: 3, written: 3 });
    });

    it("adopts an account found by e-mail with the latest HR data, not the plan's, and no needless status change", async () => {
      const { lms, hr, links, guard, sut, plan, outcomes, runRecorder } = setUp();
      // A push created Ada with version 3's data; this run planned her creation from version 2.
      const pushed = await lms.createUser(
        PORTAL,
        {
          firstName: 'Ada',
          lastName: 'Newer',
          email: 'ada@example.com',
          language: 'en',
          attributes: {},
        },
        new CallMeter(),
      );
      hr.employees.set('ada', ada(4, 'Newest'));
      const hrReads = jest.spyOn(hr, 'getEmployee');
      lms.calls.length = 0;
      const items = [create('ada', 'ada@example.com')];

      await sut.apply(plan(items, new Map([['ada', 2]])), runRecorder(items));

      expect(hrReads.mock.calls.map(([company, id]) => [company, id])).toEqual([[COMPANY, 'ada']]);
      expect(lms.calls).toEqual(['createUser', 'customFields', 'getUser', 'updateUser']);
      expect(lms.users.size).toBe(1);
      expect(lms.users.get(pushed.id)).toMatchObject({ status: 'active', lastName: 'Newest' });
      expect(links.byEmployee.get('ada')).toBe(pushed.id);
      expect(outcomes.get('0')).toEqual({ status: 'done', lmsUserId: pushed.id });
      expect(guard.versions.get('ada')).toEqual({ reserved: 4, written: 4 });
    });

    it('a halt lets the items in hand finish, leaves the rest planned and throws the halt error', async () => {
      const { lms, sut, plan, outcomes, runRecorder } = setUp();
      const handedOver = new Error('handed over');
      const enrol: PlanItem = {
        action: 'enrol-in-lms',
        side: 'lms',
        employeeId: 'e1',
        person: 'e1',
        reason: 'enrolled from HR',
        changes: [],
        payload: { requestId: 'r1', courseId: '7', alreadyEnrolled: false },
      };
      const items = [create('e1'), enrol];
      // Halted once the creation is under way (the replica lost its lease meanwhile).
      const halted = () => (lms.calls.includes('createUser') ? handedOver : undefined);

      await expect(sut.apply(plan(items), runRecorder(items, { halted }))).rejects.toBe(handedOver);

      expect(lms.calls).toEqual(['createUser']);
      expect(outcomes.get('0')?.status).toBe('done');
      expect(outcomes.has('1')).toBe(false); // still planned, for the replica that takes over
    });
  });

  describe('the run-item gate (runs yield to pushes)', () => {
    /** A gate of one place (one CPU-slot run, one item at a time). */
    const onePlace = () =>
      new RunItemGate({
        RUN_ITEMS_YIELD: true,
        PUSH_TARGET_WORK: '100ms',
        SYNC_APPLY_CONCURRENCY: 1,
        SYNC_MAX_CONCURRENT_RUNS: 1,
      } as SyncEnv);

    it("a run's writes take their place one attempt at a time, however many it applies at once", async () => {
      const gate = onePlace();
      const { lms, sut, plan, outcomes, runRecorder } = setUp(WITHOUT_DATABASE, gate);
      const seen: { inFlight: number; waiting: number }[] = [];
      const createUser = lms.createUser.bind(lms);
      jest.spyOn(lms, 'createUser').mockImplementation(async (...args) => {
        seen.push(gate.load());
        await new Promise((resolve) => setImmediate(resolve));
        return createUser(...args);
      });
      const items = ['e1', 'e2', 'e3', 'e4'].map((id) => create(id));

      await sut.apply(plan(items), runRecorder(items)); // 4 at once by the recorder

      expect([...outcomes.values()].map((o) => o.status)).toEqual(['done', 'done', 'done', 'done']);
      expect(seen.map((s) => s.inFlight)).toEqual([1, 1, 1, 1]);
      expect(seen[0].waiting).toBe(3);
      expect(gate.load()).toEqual({ inFlight: 0, waiting: 0 });
    });

    it('a write waiting for its retry holds no place', async () => {
      const gate = onePlace();
      const acquired = jest.spyOn(gate, 'acquire');
      const { lms, sut, plan, runRecorder } = setUp(WITHOUT_DATABASE, gate);
      lms.failures.set('createUser', [Object.assign(new Error('blip'), { retryable: true })]);
      const items = [create('e1')];

      await sut.apply(plan(items), runRecorder(items));

      expect(acquired).toHaveBeenCalledTimes(2); // one place per attempt
      expect(gate.load()).toEqual({ inFlight: 0, waiting: 0 });
    });

    it('a run halted while its writes wait for a place begins none of them, and records nothing for them', async () => {
      const gate = onePlace();
      const { lms, sut, plan, outcomes, runRecorder } = setUp(WITHOUT_DATABASE, gate);
      const handedOver = new Error('handed over');
      // Halted while the first write is under way, the others waiting at the gate.
      const halted = () => (lms.calls.includes('createUser') ? handedOver : undefined);
      const items = [create('e1'), create('e2'), create('e3')];

      await expect(sut.apply(plan(items), runRecorder(items, { halted }))).rejects.toBe(handedOver);

      expect(lms.calls).toEqual(['createUser']);
      expect([...outcomes.keys()]).toEqual(['0']); // the others still planned
      expect(gate.load()).toEqual({ inFlight: 0, waiting: 0 });
    });

    it("a push's writes and those of a run waiting on its portal never wait for a place", async () => {
      const gate = onePlace();
      const acquired = jest.spyOn(gate, 'acquire');
      const { sut, plan, runRecorder } = setUp(WITHOUT_DATABASE, gate);
      const slowRun = [create('e1'), create('e2')];

      await sut.apply(plan([create('e3')]), new PushRecorder());
      await sut.apply(plan(slowRun), runRecorder(slowRun, { waitsOnPortal: () => true }));

      expect(acquired).not.toHaveBeenCalled();
    });
  });
});
