import { randomUUID } from 'node:crypto';
import type { AnyEvent } from '@talentsync/contracts';
import { EventPublisher } from '@talentsync/shared/messaging';
import { companyTransaction } from '@talentsync/shared/database';
import { waitFor } from '@talentsync/shared/testing';
import { PushQueue } from '../../src/push/push-queue';
import { PushService } from '../../src/push/push.service';
import { FakeHrAndLms } from './fake-hr-lms';
import {
  answerCompanies,
  dataSourceOf,
  newCompany,
  type Orchestrator,
  startOrchestrator,
  storeIntegration,
} from './orchestrator-harness';

// The employee-events consumer queues PUSH_ENQUEUE_CONCURRENCY events at once (the default,
// 32); one employee's still in stream order, so its versions are queued, and pushed, in order.

describe('employee events queued several at once', () => {
  let service: Orchestrator;
  let directory: Set<string>;
  const fake = new FakeHrAndLms();

  beforeAll(async () => {
    service = await startOrchestrator({ PUSH_CONCURRENCY: '8', PUSH_POLL: '100ms' });
    directory = await answerCompanies(service);
    await fake.answer(service);
  });
  afterAll(() => service?.close());

  const event = fake.event.bind(fake);

  const pushesOf = async (companyId: string, employeeId?: string) =>
    (
      await service.app
        .get(PushService)
        .list(companyId, { page: 1, pageSize: 100, ...(employeeId ? { employeeId } : {}) })
    ).items;

  it("one employee's versions in a burst of others' hires are pushed in order, one at a time", async () => {
    // Its company has nothing else queued (its next push is claimed at once); the burst is
    // other companies' hires.
    const [c, ...neighbours] = [
      newCompany(directory),
      newCompany(directory),
      newCompany(directory),
    ];
    for (const id of [c, ...neighbours]) await storeIntegration(service, id);
    const employeeId = randomUUID();
    fake.setEmployee(employeeId, 5, 'Fifth');
    const others = Array.from({ length: 30 }, (_, i) => {
      const id = randomUUID();
      fake.setEmployee(id, 1);
      return event(neighbours[i % 2], id, 1);
    });
    // Its five versions spread through the burst, so several are in hand at the same time.
    const burst = [...others];
    [1, 2, 3, 4, 5].forEach((version, i) => burst.splice(i * 7, 0, event(c, employeeId, version)));
    // Its first version's queueing is slow (a busy database): the later ones are in hand
    // meanwhile and must wait for it, or they would be queued, and pushed, first.
    const queue = service.app.get(PushQueue);
    const enqueue = queue.enqueue.bind(queue);
    const slowFirst = jest.spyOn(queue, 'enqueue').mockImplementation(async (e, origin) => {
      if (e.employee.id === employeeId && e.version === 1)
        await new Promise((resolve) => setTimeout(resolve, 500));
      return enqueue(e, origin);
    });

    const publisher = service.app.get(EventPublisher);
    for (const e of burst) await publisher.publish(e as AnyEvent); // in this order on the stream

    const recorded = async () =>
      (await pushesOf(c)).length +
      (await pushesOf(neighbours[0])).length +
      (await pushesOf(neighbours[1])).length;
    await waitFor('every push recorded', async () => (await recorded()) === 35, {
      timeoutMs: 30_000,
    });
    slowFirst.mockRestore();
    const pushed = (await pushesOf(c, employeeId)).reverse(); // oldest first
    expect(pushed.map((p) => p.version)).toEqual([1, 2, 3, 4, 5]);
    expect(pushed.map((p) => p.reason).join('\n')).not.toContain('older than');
    expect(pushed[0]).toMatchObject({ status: 'done', action: 'create-lms-user' });
    for (const id of neighbours)
      expect((await pushesOf(id)).map((p) => p.status)).toEqual(Array(15).fill('done'));
  }, 60_000);

  it('an older version that arrives after a newer one was pushed is skipped, never written', async () => {
    const c = newCompany(directory);
    await storeIntegration(service, c);
    const employeeId = randomUUID();
    fake.setEmployee(employeeId, 2, 'Second');
    const [v1, v2] = [event(c, employeeId, 1), event(c, employeeId, 2)];
    const publisher = service.app.get(EventPublisher);

    await publisher.publish(v2 as AnyEvent);
    await waitFor('version 2 pushed', async () => (await pushesOf(c, employeeId)).length === 1);
    await publisher.publish(v1 as AnyEvent);
    await waitFor('version 1 recorded', async () => (await pushesOf(c, employeeId)).length === 2);

    const pushed = (await pushesOf(c, employeeId)).reverse();
    expect(pushed.map((p) => [p.version, p.status])).toEqual([
      [2, 'done'],
      [1, 'skipped'],
    ]);
    expect(pushed[1].reason).toContain('older than version 2');
    expect(fake.users.get(`${c}:${fake.employees.get(employeeId)!.email}`)?.lastName).toBe(
      'Second',
    );
  });

  it('an older version queued while a newer one is in flight waits for it, then is skipped', async () => {
    // The replica that held version 1 died before queueing it; version 2 went on elsewhere
    // and is in flight (a slow portal) when version 1 comes back.
    const c = newCompany(directory);
    await storeIntegration(service, c);
    fake.slow.add(c);
    const employeeId = randomUUID();
    fake.setEmployee(employeeId, 2, 'Second');
    const [v1, v2] = [event(c, employeeId, 1), event(c, employeeId, 2)];
    const publisher = service.app.get(EventPublisher);
    const queued = () =>
      companyTransaction(dataSourceOf(service), c, (m) =>
        m.query('SELECT state, version FROM push_queue WHERE company_id = $1', [c]),
      ) as Promise<{ state: string; version: number }[]>;

    await publisher.publish(v2 as AnyEvent);
    await waitFor('version 2 in flight', async () =>
      (await queued()).some((p) => p.version === 2 && p.state === 'claimed'),
    );
    await publisher.publish(v1 as AnyEvent);
    await waitFor('version 1 queued beside it', async () => (await queued()).length === 2);
    expect((await pushesOf(c, employeeId)).length).toBe(0); // version 2 still in flight
    await waitFor('both recorded', async () => (await pushesOf(c, employeeId)).length === 2, {
      timeoutMs: 30_000,
    });

    const pushed = (await pushesOf(c, employeeId)).reverse();
    expect(pushed.map((p) => [p.version, p.status])).toEqual([
      [2, 'done'],
      [1, 'skipped'],
    ]);
    expect(pushed[1].reason).toContain('older than version 2');
    expect(fake.maxConcurrentCalls(c)).toBe(1); // never both at once
  }, 60_000);
});
