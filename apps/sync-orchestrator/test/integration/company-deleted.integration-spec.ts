import { randomUUID } from 'node:crypto';
import {
  CompanyEvents,
  EmployeeEvents,
  type AnyEvent,
  type EmployeeEvent,
} from '@talentsync/contracts';
import { companyTransaction } from '@talentsync/shared/database';
import { EventPublisher } from '@talentsync/shared/messaging';
import { waitFor } from '@talentsync/shared/testing';
import { PushService } from '../../src/push/push.service';
import { Integration } from '../../src/settings/integration.entity';
import { FakeHrAndLms } from './fake-hr-lms';
import {
  answerCompanies,
  dataSourceOf,
  newCompany,
  type Orchestrator,
  startOrchestrator,
  storeIntegration,
} from './orchestrator-harness';

// Issue 15: deleting a company stops its pushes (and its schedule, companies.integration-spec):
// an employee event of the company that arrives after `company.deleted` calls no TalentLMS,
// while another company's events go on being pushed.

describe('a deleted company, on Postgres and NATS', () => {
  let service: Orchestrator;
  let directory: Set<string>;
  const fake = new FakeHrAndLms();

  beforeAll(async () => {
    service = await startOrchestrator({ PUSH_POLL: '100ms' });
    directory = await answerCompanies(service);
    await fake.answer(service);
  });
  afterAll(() => service?.close());

  const publish = (event: object) => service.app.get(EventPublisher).publish(event as AnyEvent);
  const hire = (companyId: string): EmployeeEvent => {
    const employee = fake.setEmployee(randomUUID(), 1);
    return {
      eventId: randomUUID(),
      type: EmployeeEvents.hired,
      occurredAt: new Date().toISOString(),
      version: 1,
      companyId,
      employee: { ...employee, version: undefined },
    } as unknown as EmployeeEvent;
  };
  const pushesOf = async (companyId: string) =>
    (await service.app.get(PushService).list(companyId, { page: 1, pageSize: 100 })).items;
  const usersOf = (companyId: string) =>
    [...fake.users.keys()].filter((key) => key.startsWith(`${companyId}:`)).length;

  it("pushes none of its employee events once company.deleted is in; another company's go on", async () => {
    const [gone, stays] = [newCompany(directory), newCompany(directory)];
    for (const companyId of [gone, stays]) {
      await storeIntegration(service, companyId);
      await publish(hire(companyId));
    }
    // Both push while they exist (so the silence below is the deletion, nothing else).
    for (const companyId of [gone, stays])
      await waitFor('the first hire pushed', async () => (await pushesOf(companyId)).length === 1);

    await publish({
      eventId: randomUUID(),
      type: CompanyEvents.deleted,
      occurredAt: new Date().toISOString(),
      version: 1,
      companyId: gone,
      purgeAfter: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await waitFor('the integration switched off', async () => {
      const settings = await companyTransaction(dataSourceOf(service), gone, (m) =>
        m.findOneBy(Integration, { companyId: gone }),
      );
      return settings?.active === false;
    });

    await publish(hire(gone));
    await publish(hire(stays));
    await waitFor('the other company pushed', async () => (await pushesOf(stays)).length === 2);
    // Well past a push of the other company (PUSH_POLL 100 ms): nothing of the deleted one.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect({ pushes: (await pushesOf(gone)).length, users: usersOf(gone) }).toEqual({
      pushes: 1,
      users: 1,
    });
    expect(usersOf(stays)).toBe(2);
  }, 60_000);
});
