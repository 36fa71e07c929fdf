import { randomUUID } from 'node:crypto';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { startTestService, type TestService } from '@talentsync/shared/service-testing';
import { withPg } from '@talentsync/shared/testing';
import type { PlanItem } from '@talentsync/sync-rules';
import { AppModule, SERVICE_NAME } from '../../src/app.module';
import { SyncEnv } from '../../src/config/sync.env';
import { RunsService } from '../../src/runs/runs.service';
import { LinksService } from '../../src/engine/links.service';

const PORTAL = 'portal.example';
const COMPANY = randomUUID();

const item = (
  action: PlanItem['action'],
  ids: { employeeId?: string; lmsUserId?: string },
): PlanItem =>
  // Only what recording a plan reads: these items are never applied, so they carry no payload.
  ({
    action,
    side: action === 'create-hr-employee' ? 'hr' : action === 'skip' ? 'none' : 'lms',
    ...ids,
    person: ids.employeeId ?? ids.lmsUserId ?? '?',
    reason: action === 'skip' ? 'in sync' : 'new',
    changes: [],
  }) as PlanItem;

describe('the orchestrator cut off from its database', () => {
  let service: TestService<SyncEnv>;

  beforeAll(async () => {
    service = await startTestService(SyncEnv, (env) => AppModule.forRoot(env), {
      name: SERVICE_NAME,
      schemaPrefix: 'sync',
    });
  });
  afterAll(() => service?.close());

  it('a resumed run keeps the creations whose links it stored before the cut as done, and plans the rest again', async () => {
    const runs = service.app.get(RunsService);
    const links = service.app.get(LinksService);
    const run = await runs.start({ companyId: COMPANY, trigger: 'manual', direction: 'two-way' });
    const [ada, bob, cy] = [randomUUID(), randomUUID(), randomUUID()];
    await runs.recordPlan(
      COMPANY,
      run.id,
      PORTAL,
      [
        item('create-lms-user', { employeeId: ada }),
        item('create-lms-user', { employeeId: bob }),
        item('create-hr-employee', { lmsUserId: '77' }),
      ],
      [],
    );
    // Cut off after storing Ada's and Cy's links, before marking their items done.
    await links.link(COMPANY, PORTAL, ada, '41');
    await links.link(COMPANY, PORTAL, cy, '77');

    // The resumed plan sees Ada and Cy in sync, Bob still to create.
    await runs.recordPlan(
      COMPANY,
      run.id,
      PORTAL,
      [
        item('skip', { employeeId: ada, lmsUserId: '41' }),
        item('create-lms-user', { employeeId: bob }),
        item('skip', { employeeId: cy, lmsUserId: '77' }),
      ],
      [],
    );

    const { items } = await runs.items(COMPANY, run.id, 1, 100);
    expect(
      items.map(({ action, status, employeeId, lmsUserId }) => ({
        action,
        status,
        employeeId,
        lmsUserId,
      })),
    ).toEqual([
      { action: 'create-lms-user', status: 'done', employeeId: ada, lmsUserId: '41' },
      { action: 'create-hr-employee', status: 'done', employeeId: cy, lmsUserId: '77' },
      { action: 'skip', status: 'skipped', employeeId: ada, lmsUserId: '41' },
      { action: 'create-lms-user', status: 'planned', employeeId: bob, lmsUserId: null },
      { action: 'skip', status: 'skipped', employeeId: cy, lmsUserId: '77' },
    ]);
  });

  it('never crashes the service, even on a connection nobody is listening to', async () => {
    const dataSource = service.app.get<DataSource>(getDataSourceToken());
    // Checked out of the pool, as between pg-pool handing it over and its user listening.
    const [client, release] = (await (
      dataSource.driver as PostgresDriver
    ).obtainMasterConnection()) as [{ processID: number }, (error?: Error) => void];
    const crashes: unknown[] = [];
    const onCrash = (error: unknown) => crashes.push(error);
    process.on('uncaughtException', onCrash);
    try {
      await withPg(service.env.DATABASE_URL, (pg) =>
        pg.query('SELECT pg_terminate_backend($1)', [client.processID]),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      process.off('uncaughtException', onCrash);
      release(new Error('terminated'));
    }
    expect(crashes).toEqual([]);
    await expect(dataSource.query('SELECT 1 AS ok')).resolves.toEqual([{ ok: 1 }]);
  });
});
