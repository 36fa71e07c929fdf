import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { CreateLmsUserItem, PlanItem } from '@talentsync/sync-rules';
import { watchStatements } from '@talentsync/shared/testing';
import { SyncEnv } from '../../src/config/sync.env';
import { CompanyTransactions } from '../../src/engine/company-transactions';
import { EmployeeVersionGuard } from '../../src/engine/employee-version-guard';
import { LinksService } from '../../src/engine/links.service';
import { PlanApplier } from '../../src/engine/plan-applier.service';
import { CallMeter } from '../../src/gateways/call-meter';
import { PushWorkers } from '../../src/push/push-workers';
import { RunRecorder, runRetryPolicy } from '../../src/runs/run-recorder';
import { RunsService } from '../../src/runs/runs.service';
import { FakeHrAndLms } from './fake-hr-lms';
import { dataSourceOf, type Orchestrator, startOrchestrator } from './orchestrator-harness';

const PEOPLE = Number(process.env.COST_PEOPLE ?? 500);
const PORTAL = 'cost.example';

/**
 * What a run item costs the orchestrator's database side: the statements (round trips at the
 * pg driver) and transactions of applying one TalentLMS signup of an initial sync (the
 * many-companies bench's 100,000 items), reservation, write, link, written version and outcome.
 * The bound is the point: a change that adds a statement per item fails here.
 */
describe('a run item (an initial signup): its record, and its cost at the pg driver', () => {
  let service: Orchestrator;
  const fake = new FakeHrAndLms();

  beforeAll(async () => {
    service = await startOrchestrator();
    await service.app.get(PushWorkers).beforeApplicationShutdown(); // nothing else queries
    await fake.answer(service);
  });
  afterAll(() => service?.close());

  it('records a write crossed by a newer reservation only once the latest is written: the statement leaves it planned, and says the reservation', async () => {
    const companyId = randomUUID();
    const employeeId = randomUUID();
    const runs = service.app.get(RunsService);
    const guard = service.app.get(EmployeeVersionGuard);
    const run = await runs.start({ companyId, trigger: 'manual', direction: 'hr-to-lms' });
    const [row] = await runs.recordPlan(
      companyId,
      run.id,
      PORTAL,
      [
        {
          action: 'create-lms-user',
          side: 'lms',
          employeeId,
          link: true,
          person: 'Ada',
          reason: 'new employee',
          changes: [],
          payload: { fields: {} } as CreateLmsUserItem['payload'],
        },
      ],
      [],
    );
    await guard.reserve(companyId, PORTAL, employeeId, 2); // the run's
    await guard.reserve(companyId, PORTAL, employeeId, 5); // a push's, meanwhile
    const write = (mayRewrite: boolean) =>
      service.app.get(CompanyTransactions).run(companyId, (m) =>
        runs.recordApplied(
          row,
          {
            companyId,
            portalHost: PORTAL,
            link: { employeeId, lmsUserId: '41' },
            written: { employeeId, version: 2 },
            ids: { lmsUserId: '41' },
            mayRewrite,
          },
          m,
        ),
      );

    await expect(write(true)).resolves.toEqual({ reserved: 5, recorded: false });
    const stored = async () => (await runs.items(companyId, run.id, 1, 10)).items[0];
    expect((await stored()).status).toBe('planned');
    await expect(
      service.app.get(LinksService).forEmployee(companyId, PORTAL, employeeId),
    ).resolves.toBe('41');
    // Written 2 is kept (greatest); a later write of 5 is what the guard waits for.
    await expect(guard.written(companyId, PORTAL, employeeId, 2)).resolves.toBe(true);

    // A writer that cannot write the latest (no LMS user known) records it at once.
    await expect(write(false)).resolves.toEqual({ reserved: 5, recorded: true });
    expect(await stored()).toMatchObject({ status: 'done', lmsUserId: '41', employeeId });
  });

  it('ends a run with the counts of its outcomes and its failures, in its event too', async () => {
    const companyId = randomUUID();
    const runs = service.app.get(RunsService);
    const run = await runs.start({ companyId, trigger: 'manual', direction: 'two-way' });
    const base = { person: 'Ada', reason: 'new employee', changes: [] };
    const [created, failed, , enrolled, trained] = await runs.recordPlan(
      companyId,
      run.id,
      PORTAL,
      [
        { ...base, action: 'create-lms-user', side: 'lms', employeeId: randomUUID(), link: true },
        {
          ...base,
          action: 'create-lms-user',
          side: 'lms',
          employeeId: randomUUID(),
          link: true,
          person: 'Bob',
        },
        { ...base, action: 'skip', side: 'lms', reason: 'in sync' },
        { ...base, action: 'enrol-in-lms', side: 'lms', employeeId: randomUUID() }, // already there
        {
          ...base,
          action: 'store-training',
          side: 'hr',
          lmsUserId: '9',
          changes: [{ field: 'course 1', before: null, after: 'completed' }],
        },
      ] as PlanItem[],
      [],
    );
    await runs.markItem(created, 'done', undefined, { lmsUserId: '41' });
    await runs.markItem(failed, 'failed', 'LMS_REFUSED: no more seats');
    await runs.markItem(enrolled, 'done');
    await runs.markItem(trained, 'done');

    const ended = await runs.finish(companyId, run.id, 'partial', 7);

    expect(ended).toMatchObject({ status: 'partial', apiCalls: 7 });
    expect(ended.counts).toEqual({
      hr: { created: 0, updated: 1, deactivated: 0, skipped: 0, failed: 0 },
      lms: { created: 1, updated: 0, deactivated: 0, skipped: 1, failed: 1 },
    });
    const [{ payload }] = await service.app
      .get(CompanyTransactions)
      .run(companyId, (m) =>
        m.query(`SELECT payload FROM outbox WHERE company_id = $1 ORDER BY id DESC LIMIT 1`, [
          companyId,
        ]),
      );
    expect(payload.run).toMatchObject({
      status: 'partial',
      counts: ended.counts,
      failures: [
        { person: 'Bob', action: 'create-lms-user', reason: 'LMS_REFUSED: no more seats' },
      ],
    });
    expect(payload.version).toBe(ended.eventVersion);
  });

  it('applies each signup in few statements and two transactions, all recorded with link and version', async () => {
    const companyId = randomUUID();
    const runs = service.app.get(RunsService);
    const run = await runs.start({ companyId, trigger: 'manual', direction: 'hr-to-lms' });
    const employees = Array.from({ length: PEOPLE }, () => randomUUID());
    const items: CreateLmsUserItem[] = employees.map((id) => ({
      action: 'create-lms-user',
      side: 'lms',
      employeeId: id,
      link: true,
      person: `Jane ${id.slice(0, 8)}`,
      reason: 'new employee',
      changes: [],
      payload: {
        fields: { firstName: 'Jane', lastName: 'Doe', email: `${id}@example.com` },
      } as CreateLmsUserItem['payload'],
    }));
    const planCpu = process.cpuUsage();
    const rows = await runs.recordPlan(companyId, run.id, PORTAL, items, []);
    const planned = process.cpuUsage(planCpu);
    const env = service.app.get(SyncEnv);
    const recorder = new RunRecorder(
      runs,
      items,
      rows,
      runRetryPolicy(env, run.id, new Logger('cost')),
      env.SYNC_APPLY_CONCURRENCY,
    );

    const texts: string[] = [];
    const stop = watchStatements(({ text }) => texts.push(text));
    const pgBefore = await backendCpuMs(service);
    const cpu = process.cpuUsage();
    let failed: number;
    try {
      failed = await service.app.get(PlanApplier).apply(
        {
          companyId,
          items,
          portal: { companyId, url: `https://${PORTAL}`, apiKeySealed: 'sealed', branch: 'all' },
          portalHost: PORTAL,
          meter: new CallMeter(),
          employeeVersions: new Map(employees.map((id) => [id, 1])),
        },
        recorder,
      );
    } finally {
      stop();
    }
    const used = process.cpuUsage(cpu);
    const pgUsed = (await backendCpuMs(service)) - pgBefore;

    expect(failed).toBe(0);
    const { items: stored } = await runs.items(companyId, run.id, 1, PEOPLE);
    expect(stored.filter((i) => i.status === 'done' && i.lmsUserId)).toHaveLength(PEOPLE);
    // The plan's rows know their stored ids (a training batch marks its items by id).
    expect(rows.map((r) => [r.seq, r.id])).toEqual(stored.map((i) => [i.seq, i.id]));
    const [{ links, written }] = await service.app.get(CompanyTransactions).run(companyId, (m) =>
      m.query(
        `SELECT (SELECT count(*) FROM employee_links WHERE portal_host = $1) AS links,
                  (SELECT count(*) FROM employee_write_versions
                    WHERE portal_host = $1 AND written_version = 1) AS written`,
        [PORTAL],
      ),
    );
    expect([Number(links), Number(written)]).toEqual([PEOPLE, PEOPLE]);

    // The outbox relay's transactions (across companies, on a timer) are not the items'.
    const relay = texts.filter((t) => t.trim() === 'START TRANSACTION').length;
    const ours = texts.filter(
      (t) => t.trim() !== 'START TRANSACTION' && !/across_companies|advisory|outbox/.test(t),
    );
    const perItem = (ours.length - relay) / PEOPLE; // less the relay's COMMITs
    const commits =
      texts.filter((t) => t.includes(`'app.company_id', '${companyId}'`)).length / PEOPLE;
    const shapes = new Map<string, number>();
    for (const t of texts) {
      const shape = t.replace(/\s+/g, ' ').trim().slice(0, 60);
      shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
    }
    process.stdout.write(
      `per run item: ${perItem.toFixed(2)} statements, ${commits.toFixed(2)} transactions, ` +
        `${((used.user + used.system) / 1000 / PEOPLE).toFixed(2)} ms CPU (whole process, ` +
        `the fake answers too; recording the plan ${((planned.user + planned.system) / 1000 / PEOPLE).toFixed(3)} ms per item); Postgres ${(pgUsed / PEOPLE).toFixed(2)} ms CPU per item` +
        `\n${[...shapes].map(([s, n]) => `  ${(n / PEOPLE).toFixed(2)} ${s}`).join('\n')}\n`,
    );
    expect(commits).toBeLessThanOrEqual(2 + 2 / PEOPLE);
    // The guard's reservation (its own transaction: START, reserve, COMMIT) and the record's.
    // (plus a few statements of the process's timers, e.g. a relay pass it did not filter)
    expect(perItem).toBeLessThanOrEqual(6 + 5 / PEOPLE);
  });
});

/**
 * CPU (ms) spent so far by the Postgres backends of the service's pooled connections (their
 * /proc stat, 10 ms ticks): the database's share of an item, which load does not move.
 */
async function backendCpuMs(service: Orchestrator): Promise<number> {
  const pool = (dataSourceOf(service).driver as unknown as { master: { _clients: Client[] } })
    .master;
  let ms = 0;
  for (const client of pool._clients) {
    const pid = (client as unknown as { processID?: number }).processID;
    if (!pid) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ms += (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in ticks of 10 ms
  }
  return ms;
}
