import { randomUUID } from 'node:crypto';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { companyTransaction } from '@talentsync/shared/database';
import { startTestService, type TestService } from '@talentsync/shared/service-testing';
import { AppModule, SERVICE_NAME } from '../../src/app.module';
import { SyncEnv } from '../../src/config/sync.env';
import { RunLeases } from '../../src/runs/run-lease';
import { RunsService } from '../../src/runs/runs.service';
import { EmployeeVersionGuard } from '../../src/engine/employee-version-guard';

const PORTAL = 'portal.example';
const COMPANY = randomUUID();

describe('run leases and the employee version guard, on Postgres', () => {
  let service: TestService<SyncEnv>;

  beforeAll(async () => {
    service = await startTestService(SyncEnv, (env) => AppModule.forRoot(env), {
      name: SERVICE_NAME,
      schemaPrefix: 'sync',
      env: { SYNC_RUN_LEASE: '1s', SCHEDULER_TICK: '1h' },
    });
  });
  afterAll(() => service?.close());

  describe(RunLeases.name, () => {
    it('gives a run to one owner; the other gets it only when the lease ran out, and the first then knows it lost it', async () => {
      const runs = service.app.get(RunsService);
      const leases = service.app.get(RunLeases);
      const run = await runs.start({ companyId: COMPANY, trigger: 'manual', direction: 'two-way' });

      const first = await leases.claim(COMPANY, run.id);
      expect(first).toBeDefined();
      await expect(leases.claim(COMPANY, run.id)).resolves.toBeUndefined();
      expect(await leases.free()).toEqual([]);

      await new Promise((resolve) => setTimeout(resolve, 1_300));
      expect((await leases.free()).map((r) => r.id)).toEqual([run.id]);
      const second = await leases.claim(COMPANY, run.id);
      expect(second).toBeDefined();

      await expect(first?.renew()).resolves.toBe(false);
      expect(first?.lost()?.name).toBe('RunLeaseLost');
      await expect(second?.renew()).resolves.toBe(true);

      // Handed over: free at once for any replica.
      await second?.end({ handOver: true });
      expect((await leases.free()).map((r) => r.id)).toEqual([run.id]);
      const third = await leases.claim(COMPANY, run.id);
      await third?.end();
      await runs.finish(COMPANY, run.id, 'succeeded', 0);
      expect(await leases.free()).toEqual([]);
    });
  });

  describe(EmployeeVersionGuard.name, () => {
    it('refuses an older version, and tells a writer crossed by a newer reservation to write the latest', async () => {
      const guard = service.app.get(EmployeeVersionGuard);
      const employee = randomUUID();

      await expect(guard.reserve(COMPANY, PORTAL, employee, 2)).resolves.toBeUndefined(); // a run, v2
      await expect(guard.reserve(COMPANY, PORTAL, employee, 3)).resolves.toBeUndefined(); // a push, v3
      await expect(guard.written(COMPANY, PORTAL, employee, 3)).resolves.toBe(false);
      // The run's write crossed the push's: it must write the latest again.
      await expect(guard.written(COMPANY, PORTAL, employee, 2)).resolves.toBe(true);
      await expect(guard.reserve(COMPANY, PORTAL, employee, 2)).resolves.toBe(
        'HR version 2 is older than version 3 already written to TalentLMS',
      );
      await expect(guard.reserve(COMPANY, PORTAL, employee, 3)).resolves.toBeUndefined();

      const rows = await companyTransaction(
        service.app.get<DataSource>(getDataSourceToken()),
        COMPANY,
        (m) =>
          m.query(
            'SELECT reserved_version, written_version FROM employee_write_versions WHERE employee_id = $1',
            [employee],
          ),
      );
      expect(rows).toEqual([{ reserved_version: 3, written_version: 3 }]);
    });
  });
});
