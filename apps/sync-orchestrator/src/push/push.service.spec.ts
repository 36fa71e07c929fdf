import { register } from 'prom-client';
import type { DataSource, EntityManager } from 'typeorm';
import { Metrics, type AttributeMatch, type EmployeeEvent } from '@talentsync/contracts';
import { UntrustedMessageError } from '@talentsync/shared/messaging';
import type { SyncEnv } from '../config/sync.env';
import {
  WITHOUT_DATABASE,
  COMPANY,
  employeeRecord,
  FakeHr,
  FakeLinks,
  FakeLms,
  FakeVersionGuard,
} from '../engine/fake-gateways';
import type { CompanyTransactions } from '../engine/company-transactions';
import { LatestEmployeeWriter } from '../engine/latest-employee-writer';
import { PlanApplier } from '../engine/plan-applier.service';
import { PlanReader } from '../engine/plan-reader.service';
import type { HrGateway } from '../gateways/hr.gateway';
import type { Integration } from '../settings/integration.entity';
import type { IntegrationService } from '../settings/integration.service';
import { CallMeter } from '../gateways/call-meter';
import { PushDeferred, PushService } from './push.service';

// Unit test with fake gateways and a fake push table: what a push plans, applies and records.
// The real path (JetStream, Postgres, lms-connector) is covered end to end (auto-sync).

// The company's transaction is the fake push table itself here (no Postgres, no RLS).
jest.mock('@talentsync/shared/database', () => ({
  ...jest.requireActual('@talentsync/shared/database'),
  companyTransaction: (db: unknown, _company: string, work: (m: unknown) => unknown) => work(db),
}));

const env = {
  SYNC_BUDGET_WAIT: '1m',
  SYNC_DEACTIVATION_LIMIT: 0.2,
  SYNC_DEACTIVATION_MIN: 10,
} as SyncEnv;

const integration = {
  companyId: COMPANY,
  active: true,
  automaticSync: true,
  direction: 'hr-to-lms',
  branch: 'all',
  portalUrl: 'https://acme.talentlms.com',
  apiKeySealed: 'sealed',
} as Integration;

const event = (employeeId: string, version: number, eventId = `ev-${employeeId}-${version}`) =>
  ({
    eventId,
    type: 'employee.updated',
    companyId: COMPANY,
    version,
    occurredAt: '2026-01-01T00:00:00Z',
    employee: { id: employeeId },
  }) as unknown as EmployeeEvent;

interface Recorded {
  eventId: string;
  status: string;
  reason: string;
  action: string | null;
  fields: string[];
  /** Recorded in the transaction of the push's write (its link and version). */
  inWrite: boolean;
}

function setUp(settings: Partial<Integration> = {}, transactions = WITHOUT_DATABASE) {
  const lms = new FakeLms();
  const hr = new FakeHr();
  const links = new FakeLinks();
  const current = { ...integration, ...settings } as Integration;
  const integrations = {
    current: async () => current,
    portalRef: () => ({
      companyId: COMPANY,
      url: current.portalUrl,
      apiKeySealed: 'sealed',
      branch: current.branch,
    }),
    host: () => 'acme.talentlms.com',
  } as unknown as IntegrationService;
  const lastPushed = new Map<string, number>();
  const recorded: Recorded[] = [];
  // The first transaction's one read: pushed already?, the last version pushed, the link.
  const dataSource = {
    query: async (_sql: string, [, eventId, employeeId]: string[]) => [
      {
        pushed: recorded.some((r) => r.eventId === eventId),
        last: lastPushed.get(employeeId) ?? 0,
        lms_user_id: links.byEmployee.get(employeeId) ?? null,
      },
    ],
  } as unknown as DataSource;
  const reader = new PlanReader(integrations, lms, hr, links.asService(), env);
  const guard = new FakeVersionGuard();
  const applier = new PlanApplier(
    lms,
    hr,
    links.asService(),
    guard.asGuard(),
    new LatestEmployeeWriter(lms, hr, guard.asGuard()),
    transactions,
  );
  const sut = new PushService(dataSource, integrations, reader, applier, hr, env);
  // record() runs recordIn in a transaction of its own (here the fake table); a push of one
  // write runs it in the write's transaction (the applier's, here another manager).
  jest
    .spyOn(sut, 'recordIn')
    .mockImplementation(async (m, e, status, reason, action, changes, _attempts, also) => {
      await also?.(m); // in the record's transaction
      recorded.push({
        eventId: e.eventId,
        status,
        reason,
        action,
        fields: changes.map((c) => c.field),
        inWrite: m !== (dataSource as unknown),
      });
      lastPushed.set(e.employee.id, Math.max(lastPushed.get(e.employee.id) ?? 0, e.version));
    });
  return { sut, lms, hr, links, guard, recorded, lastPushed };
}

describe(PushService.name, () => {
  it("creates a new hire's TalentLMS user, links it, and records what it did", async () => {
    const { sut, lms, hr, links, recorded } = setUp();
    hr.employees.set('e1', employeeRecord('e1', { version: 1 }));

    await sut.handle(event('e1', 1));

    const [user] = [...lms.users.values()];
    expect(user.email).toBe('e1@example.com');
    expect(links.byEmployee.get('e1')).toBe(user.id);
    // Recorded with the link and the version written: one transaction after the write.
    expect(recorded).toEqual([
      expect.objectContaining({ status: 'done', action: 'create-lms-user', inWrite: true }),
    ]);
    expect(recorded[0].fields).toEqual(expect.arrayContaining(['firstName', 'lastName', 'email']));
  });

  it('records a write a newer one crossed once the latest is written again, apart', async () => {
    const { sut, lms, hr, guard, recorded } = setUp();
    hr.employees.set('e1', employeeRecord('e1', { version: 1 }));
    const create = lms.createUser.bind(lms);
    jest.spyOn(lms, 'createUser').mockImplementation(async (...args) => {
      // Version 2 is saved and reserved by another writer while this write is under way.
      hr.employees.set('e1', employeeRecord('e1', { lastName: 'Second', version: 2 }));
      guard.versions.set('e1', { reserved: 2, written: 0 });
      return create(...args);
    });

    await sut.handle(event('e1', 1));

    expect([...lms.users.values()][0].lastName).toBe('Second');
    expect(recorded).toEqual([
      expect.objectContaining({ status: 'done', action: 'create-lms-user', inWrite: false }),
    ]);
  });

  it('records a write whose first COMMIT was lost and a newer version crossed before its retry, once the latest is written', async () => {
    // The write's transaction: its first COMMIT fails (retryable) and rolls back, the record
    // made in it included; by its retry version 2 was saved and reserved by another writer.
    let attempts = 0;
    const transactions = {
      run: async <T>(_company: string, work: (m: EntityManager) => Promise<T>): Promise<T> => {
        attempts += 1;
        if (attempts > 1) return work({} as EntityManager);
        const before = { recorded: recorded.length, last: new Map(lastPushed) };
        const guardBefore = new Map(guard.versions);
        await work({} as EntityManager);
        recorded.splice(before.recorded);
        lastPushed.clear();
        for (const [k, v] of before.last) lastPushed.set(k, v);
        guard.versions.clear();
        for (const [k, v] of guardBefore) guard.versions.set(k, v);
        hr.employees.set('e1', employeeRecord('e1', { lastName: 'Second', version: 2 }));
        guard.versions.set('e1', { reserved: 2, written: 0 });
        throw Object.assign(new Error('connection lost at COMMIT'), { retryable: true });
      },
    } as unknown as CompanyTransactions;
    const { sut, lms, hr, guard, recorded, lastPushed } = setUp({}, transactions);
    hr.employees.set('e1', employeeRecord('e1', { version: 1 }));
    const settle = jest.fn(async () => undefined);

    const settled = await sut.handle(event('e1', 1), 1, settle);

    expect([...lms.users.values()][0].lastName).toBe('Second');
    // Recorded once, after the latest was written (the first attempt's record rolled back).
    expect(recorded).toEqual([
      expect.objectContaining({ status: 'done', action: 'create-lms-user', inWrite: false }),
    ]);
    expect(settled).toBe(true);
    expect(settle).toHaveBeenCalledTimes(2); // in the rolled-back attempt, then in the record
  });

  it('pushes the current state, not the event: an update of a linked user writes what changed', async () => {
    const { sut, lms, hr, links, recorded } = setUp();
    hr.employees.set('e1', employeeRecord('e1', { version: 1 }));
    await sut.handle(event('e1', 1));
    const [user] = [...lms.users.values()];
    hr.employees.set('e1', employeeRecord('e1', { lastName: 'Married', version: 2 }));

    await sut.handle(event('e1', 2));

    expect(lms.users.get(user.id)?.lastName).toBe('Married');
    expect(links.byEmployee.get('e1')).toBe(user.id);
    expect(recorded[1]).toEqual(
      expect.objectContaining({ status: 'done', action: 'update-lms-user', fields: ['lastName'] }),
    );
  });

  it('plans with the link its first transaction read, reading no links apart', async () => {
    const { sut, lms, hr, links, recorded } = setUp();
    hr.employees.set('e1', employeeRecord('e1', { version: 1 }));
    await sut.handle(event('e1', 1));
    const [user] = [...lms.users.values()];
    hr.employees.set('e1', employeeRecord('e1', { lastName: 'Married', version: 2 }));
    const apart = jest.spyOn(links, 'ofEmployee');
    lms.calls.length = 0;

    await sut.handle(event('e1', 2));

    expect(apart).not.toHaveBeenCalled();
    expect(lms.calls).not.toContain('findUserByEmail'); // the linked user, by its id
    expect(lms.users.get(user.id)?.lastName).toBe('Married');
    expect(recorded[1]).toEqual(expect.objectContaining({ action: 'update-lms-user' }));
  });

  it("reads a portal's fields, its employee and the linked user at once, the employee without the SSN", async () => {
    const { sut, lms, hr } = setUp();
    hr.employees.set('e1', employeeRecord('e1', { version: 1 }));
    await sut.handle(event('e1', 1));
    hr.employees.set('e1', employeeRecord('e1', { lastName: 'Married', version: 2 }));
    const order: string[] = [];
    const fields = jest.spyOn(lms, 'customFields').mockImplementation(async () => {
      order.push('fields asked');
      await new Promise((resolve) => setImmediate(resolve));
      order.push('fields in');
      return [];
    });
    const reads = jest
      .spyOn(hr as HrGateway, 'getEmployee')
      .mockImplementation(async (_c, id, options) => {
        order.push(`employee asked, ssn ${options.includeSsn}`);
        return hr.employees.get(id) ?? null;
      });
    const user = jest.spyOn(lms, 'getUser');

    await sut.handle(event('e1', 2));

    expect(fields).toHaveBeenCalledTimes(1);
    expect(order.slice(0, 2)).toEqual(['fields asked', 'employee asked, ssn false']);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(user).toHaveBeenCalledTimes(1);
  });

  it("looks a hire's LMS user up by the e-mail its event carried, beside the employee's read", async () => {
    const { sut, lms, hr, recorded } = setUp();
    hr.employees.set('e1', employeeRecord('e1', { version: 1 }));
    const order: string[] = [];
    jest.spyOn(hr as HrGateway, 'getEmployee').mockImplementation(async (_c, id) => {
      order.push('employee asked');
      await new Promise((resolve) => setImmediate(resolve));
      order.push('employee in');
      return hr.employees.get(id) ?? null;
    });
    const findUserByEmail = lms.findUserByEmail.bind(lms);
    jest.spyOn(lms, 'findUserByEmail').mockImplementation(async (portal, email, meter) => {
      order.push(`look-up of ${email}`);
      return findUserByEmail(portal, email, meter);
    });
    const hire = event('e1', 1);
    hire.employee.email = 'e1@example.com'; // as hr-service has it

    await sut.handle(hire);

    // Asked before the employee's answer came, and not asked again after it.
    expect(order).toEqual(['employee asked', 'look-up of e1@example.com', 'employee in']);
    expect(recorded).toEqual([expect.objectContaining({ action: 'create-lms-user' })]);
  });

  it("never takes the LMS user of an e-mail a forged hire carried: hr-service's e-mail decides", async () => {
    const { sut, lms, hr, links, recorded } = setUp();
    hr.employees.set('e1', employeeRecord('e1', { version: 1 }));
    const meter = new CallMeter();
    const portal = { companyId: COMPANY } as never;
    // e1's own user (created by an attempt whose answer was lost), and someone else's (another
    // employee, or another company's on a shared portal).
    const own = await lms.createUser(portal, { email: 'e1@example.com' } as never, meter);
    const other = await lms.createUser(portal, { email: 'other@example.com' } as never, meter);
    const lookUps = jest.spyOn(lms, 'findUserByEmail');
    const hire = event('e1', 1);
    hire.employee.email = 'other@example.com'; // forged: hr-service says e1@example.com

    await sut.handle(hire);

    expect(lookUps.mock.calls.map(([, email]) => email)).toEqual([
      'other@example.com',
      'e1@example.com',
    ]);
    expect(links.byEmployee.get('e1')).toBe(own.id);
    expect(recorded).toEqual([expect.objectContaining({ status: 'done' })]);
    expect(recorded[0].action).not.toBe('create-lms-user');
    expect(lms.users.get(other.id)?.email).toBe('other@example.com');
  });

  it("looks the LMS user up again by hr-service's e-mail when it is not the event's", async () => {
    const { sut, lms, hr, recorded } = setUp();
    hr.employees.set('e1', employeeRecord('e1', { email: 'new@example.com', version: 2 }));
    await lms.createUser(
      { companyId: COMPANY } as never,
      { email: 'new@example.com', firstName: 'Jane', lastName: 'Doe' } as never,
      new CallMeter(),
    );
    const lookUps = jest.spyOn(lms, 'findUserByEmail');
    const change = event('e1', 1);
    change.employee.email = 'old@example.com'; // changed in hr-service since

    await sut.handle(change);

    expect(lookUps.mock.calls.map(([, email]) => email)).toEqual([
      'old@example.com',
      'new@example.com',
    ]);
    expect(lms.users.size).toBe(1); // the user holding the current e-mail, not a second one
    expect(recorded[0].action).not.toBe('create-lms-user');
  });

  it('asks for the SSN only once the fields say the portal has an ssn field', async () => {
    const { sut, lms, hr, recorded } = setUp();
    const ssnField = [
      { attribute: 'ssn', key: 'custom_field_1', outcome: 'matched', reason: '' },
    ] as AttributeMatch[];
    let fields = ssnField;
    const order: string[] = [];
    jest.spyOn(lms, 'customFields').mockImplementation(async () => {
      order.push('fields asked');
      await new Promise((resolve) => setImmediate(resolve));
      order.push('fields in');
      return fields;
    });
    jest.spyOn(hr as HrGateway, 'getEmployee').mockImplementation(async (_c, id, options) => {
      order.push(`employee asked, ssn ${options.includeSsn}`);
      return hr.employees.get(id) ?? null;
    });
    hr.employees.set('e1', employeeRecord('e1', { version: 1 }));

    // Not known to have one: read at once without the SSN, then again with it.
    await sut.handle(event('e1', 1));
    expect(order).toEqual([
      'fields asked',
      'employee asked, ssn false',
      'fields in',
      'employee asked, ssn true',
    ]);

    // Known now: the fields first, then the employee once, with the SSN.
    order.length = 0;
    hr.employees.set('e1', employeeRecord('e1', { lastName: 'Married', version: 2 }));
    await sut.handle(event('e1', 2));
    expect(order).toEqual(['fields asked', 'fields in', 'employee asked, ssn true']);

    // The portal's ssn field is gone: the SSN is asked for no more, from the next push on.
    fields = [];
    order.length = 0;
    hr.employees.set('e1', employeeRecord('e1', { lastName: 'Again', version: 3 }));
    await sut.handle(event('e1', 3));
    expect(order).toEqual(['fields asked', 'fields in', 'employee asked, ssn false']);
    order.length = 0;
    hr.employees.set('e1', employeeRecord('e1', { lastName: 'Once more', version: 4 }));
    await sut.handle(event('e1', 4));
    expect(order).toEqual(['fields asked', 'employee asked, ssn false', 'fields in']);
    expect(recorded.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('records a push of a paused integration skipped with the reason, calling TalentLMS not at all', async () => {
    const { sut, lms, hr, recorded } = setUp({
      pausedAt: new Date(),
      pauseReason: 'LMS_INVALID_KEY: invalid API key',
    });
    hr.employees.set('e1', employeeRecord('e1', { version: 1 }));

    await expect(sut.handle(event('e1', 1))).resolves.toBe(true);

    expect(lms.calls).toEqual([]);
    expect(recorded).toEqual([
      expect.objectContaining({
        status: 'skipped',
        reason: 'integration paused: LMS_INVALID_KEY: invalid API key',
      }),
    ]);
  });

  it('skips an event older than what was already pushed, writing nothing', async () => {
    const { sut, lms, hr, recorded, lastPushed } = setUp();
    hr.employees.set('e1', employeeRecord('e1', { version: 3 }));
    lastPushed.set('e1', 3);

    await sut.handle(event('e1', 2));

    expect(lms.calls).toEqual([]);
    expect(recorded).toEqual([
      expect.objectContaining({
        status: 'skipped',
        reason: 'older than version 3, already pushed',
      }),
    ]);
  });

  it('records a push whose write newer data already overtook as skipped, with the reason, writing nothing', async () => {
    const { sut, lms, hr, guard, recorded } = setUp();
    hr.employees.set('e1', employeeRecord('e1', { version: 2 }));
    guard.versions.set('e1', { reserved: 3, written: 3 }); // a run wrote version 3 meanwhile

    await sut.handle(event('e1', 2));

    expect(lms.calls).not.toContain('createUser');
    expect(lms.users.size).toBe(0);
    expect(recorded).toEqual([
      expect.objectContaining({
        status: 'skipped',
        action: 'create-lms-user',
        reason: 'not written: HR version 2 is older than version 3 already written to TalentLMS',
        inWrite: false,
      }),
    ]);
  });

  it('does nothing for an event already pushed, nor while automatic sync is off', async () => {
    const off = setUp({ automaticSync: false });
    off.hr.employees.set('e1', employeeRecord('e1'));
    await off.sut.handle(event('e1', 1));
    expect(off.lms.calls).toEqual([]);
    expect(off.recorded).toEqual([]);

    const { sut, lms, hr, recorded } = setUp();
    hr.employees.set('e1', employeeRecord('e1'));
    await sut.handle(event('e1', 1, 'same'));
    const calls = lms.calls.length;
    await sut.handle(event('e1', 1, 'same'));
    expect(lms.calls).toHaveLength(calls);
    expect(recorded).toHaveLength(1);
  });

  it('settles a push with nothing to push, or an older version, in its first transaction', async () => {
    const off = setUp({ automaticSync: false });
    const settleOff = jest.fn().mockResolvedValue(undefined);
    await expect(off.sut.handle(event('e1', 1), 1, settleOff)).resolves.toBe(true);
    await expect(off.sut.handle(event('e1', 1))).resolves.toBe(false); // none to run
    expect(settleOff).toHaveBeenCalledTimes(1);
    expect(off.recorded).toEqual([]);

    const { sut, hr, lms, recorded, lastPushed } = setUp();
    hr.employees.set('e1', employeeRecord('e1', { version: 3 }));
    await sut.handle(event('e1', 3, 'same'));
    const again = jest.fn().mockResolvedValue(undefined);
    await expect(sut.handle(event('e1', 3, 'same'), 1, again)).resolves.toBe(true);
    expect(again).toHaveBeenCalledTimes(1);

    lastPushed.set('e1', 3);
    const older = jest.fn().mockResolvedValue(undefined);
    const calls = lms.calls.length;
    await expect(sut.handle(event('e1', 2), 1, older)).resolves.toBe(true);
    expect(older).toHaveBeenCalledTimes(1);
    expect(lms.calls).toHaveLength(calls);
    expect(recorded.map((r) => r.status)).toEqual(['done', 'skipped']);
  });

  it('refuses an event ahead of hr-service (forged), recording nothing', async () => {
    const { sut, hr, recorded } = setUp();
    hr.employees.set('e1', employeeRecord('e1', { version: 2 }));

    await expect(sut.handle(event('e1', 2_000_000_000))).rejects.toBeInstanceOf(
      UntrustedMessageError,
    );
    expect(recorded).toEqual([]);
  });

  it('reads the employee from hr-service once per push (the plan and the version check share it), settles in the record', async () => {
    const { sut, hr, recorded } = setUp();
    hr.employees.set('e1', employeeRecord('e1'));
    const reads = jest.spyOn(hr, 'getEmployee');
    const settle = jest.fn().mockResolvedValue(undefined);

    await expect(sut.handle(event('e1', 1), 1, settle)).resolves.toBe(true);

    expect(reads).toHaveBeenCalledTimes(1);
    expect(settle).toHaveBeenCalledTimes(1); // in the record's transaction: the write's
    expect(recorded).toEqual([expect.objectContaining({ status: 'done', inWrite: true })]);
  });

  it('refuses an event of an employee hr-service does not have (forged), recording nothing', async () => {
    const { sut, recorded } = setUp();

    await expect(sut.handle(event('nobody', 1))).rejects.toBeInstanceOf(UntrustedMessageError);
    expect(recorded).toEqual([]);
  });

  it('refuses a forged event while the integration is paused too, recording nothing', async () => {
    const { sut, hr, recorded } = setUp({ pausedAt: new Date() });
    hr.employees.set('e1', employeeRecord('e1', { version: 2 }));

    await expect(sut.handle(event('e1', 2_000_000_000))).rejects.toBeInstanceOf(
      UntrustedMessageError,
    );
    expect(recorded).toEqual([]);
  });

  it('defers a push TalentLMS cannot take now, with the wait it announced', async () => {
    const { sut, lms, hr, recorded } = setUp();
    hr.employees.set('e1', employeeRecord('e1'));
    const retryAt = new Date(Date.now() + 30_000).toISOString();
    const busy = () =>
      Object.assign(new Error('hourly budget spent'), {
        code: 'LMS_RATE_LIMITED',
        retryable: true,
        details: { retryAt },
      });
    lms.failures.set('createUser', [busy(), busy(), busy()]);

    const deferred = sut.handle(event('e1', 1));

    await expect(deferred).rejects.toBeInstanceOf(PushDeferred);
    const error = (await deferred.catch((e: PushDeferred) => e)) as PushDeferred;
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(lms.calls.filter((c) => c === 'createUser')).toHaveLength(1);
    expect(recorded).toEqual([]);
  });

  it('records a push TalentLMS refuses for good as failed, with the reason', async () => {
    const { sut, lms, hr, recorded } = setUp();
    hr.employees.set('e1', employeeRecord('e1'));
    lms.failures.set('createUser', [
      Object.assign(new Error('invalid e-mail'), { code: 'LMS_INVALID_INPUT', retryable: false }),
    ]);

    await sut.handle(event('e1', 1), 4);

    expect(recorded).toEqual([
      expect.objectContaining({ status: 'failed', reason: 'LMS_INVALID_INPUT: invalid e-mail' }),
    ]);
  });

  it('counts each outcome once, with the time since the HR change; an untrusted event or none to push is no push', async () => {
    register.resetMetrics();
    const changedAt = (event: EmployeeEvent) =>
      ({ ...event, occurredAt: new Date(Date.now() - 2_000).toISOString() }) as EmployeeEvent;
    const { sut, lms, hr, lastPushed } = setUp();
    hr.employees.set('e1', employeeRecord('e1'));
    await sut.handle(changedAt(event('e1', 1)));
    lastPushed.set('e1', 5);
    await sut.handle(changedAt(event('e1', 2)));
    hr.employees.set('e2', employeeRecord('e2'));
    const busy = () =>
      Object.assign(new Error('TalentLMS away'), { code: 'LMS_UNAVAILABLE', retryable: true });
    lms.failures.set('createUser', [busy(), busy(), busy()]);
    await expect(sut.handle(changedAt(event('e2', 1)))).rejects.toBeInstanceOf(PushDeferred);
    lms.failures.set('createUser', [
      Object.assign(new Error('invalid e-mail'), { code: 'LMS_INVALID_INPUT', retryable: false }),
    ]);
    await sut.handle(changedAt(event('e2', 1, 'again')));
    await expect(sut.handle(event('e2', 2_000_000_000))).rejects.toBeInstanceOf(
      UntrustedMessageError,
    );
    const off = setUp({ automaticSync: false });
    await off.sut.handle(event('e1', 1));

    const pushes = await register.getSingleMetric(Metrics.pushes.name)?.get();
    expect(
      Object.fromEntries(pushes?.values.map((v) => [v.labels.outcome, v.value]) ?? []),
    ).toEqual({ done: 1, skipped: 1, deferred: 1, failed: 1 });
    const latency = await register.getSingleMetric(Metrics.pushLatency.name)?.get();
    const sums = latency?.values.filter(
      (v) => (v as { metricName?: string }).metricName === `${Metrics.pushLatency.name}_sum`,
    );
    expect(sums?.map((v) => v.labels.outcome).sort()).toEqual([
      'deferred',
      'done',
      'failed',
      'skipped',
    ]);
    for (const sum of sums ?? []) {
      expect(sum.value).toBeGreaterThanOrEqual(2);
      expect(sum.value).toBeLessThan(30);
    }
  });
});
