import { randomUUID } from 'node:crypto';
import { acrossCompanies, companyTransaction } from '@talentsync/shared/database';
import { withPg } from '@talentsync/shared/testing';
import { EmployeeLinkRow } from '../../src/engine/employee-link.entity';
import { CLAIM_READ, CLAIM_READ_ALL, PushQueue } from '../../src/push/push-queue';
import { PushWorkers } from '../../src/push/push-workers';
import { PUSHED_READ } from '../../src/push/push.service';
import { type PlanNode, rowsRead } from './plan-reads';
import { dataSourceOf, type Orchestrator, startOrchestrator } from './orchestrator-harness';

const PEOPLE = 10_000;
const HOST = 'big.talentlms.localhost';
const BACKLOG = 2_000;
const WORKERS = 4;

/** EXPLAIN (ANALYZE, BUFFERS) of `sql` in `companyId`'s transaction (across companies: null). */
async function explain(
  service: Orchestrator,
  companyId: string | null,
  sql: string,
  params: unknown[],
): Promise<PlanNode> {
  const run = async (m: { query: (q: string, p: unknown[]) => Promise<unknown> }) => {
    const [{ 'QUERY PLAN': plan }] = (await m.query(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
      params,
    )) as { 'QUERY PLAN': { Plan: PlanNode }[] }[];
    return plan[0].Plan;
  };
  const ds = dataSourceOf(service);
  return companyId
    ? companyTransaction(ds, companyId, run)
    : acrossCompanies(ds, 'spec: EXPLAIN a push read', run);
}

// Issue 15: single-company push latency grew with the company's size (p50 0.5-13 s at 10,000
// people, ~70 ms at 1,000): each push's link read filtered all 10,000 links (11 ms), and once
// a backlog formed each claim walked it (6.5 ms, ~1,500 blocks). Seeded
// with no statistics, as the bench leaves its tables (the machine's Postgres runs without
// autovacuum; a new company's links are not analyzed at once anywhere): the lookups must take
// their own key whatever the statistics say.
describe("an instant push's reads in a company of 10,000 people with a backlog, on Postgres", () => {
  let service: Orchestrator;
  const company = randomUUID();

  beforeAll(async () => {
    service = await startOrchestrator({
      PUSH_CONCURRENCY: String(WORKERS),
      PUSH_MAX_IN_FLIGHT_PER_COMPANY: String(WORKERS),
    });
    await service.app.get(PushWorkers).beforeApplicationShutdown();
    await acrossCompanies(dataSourceOf(service), 'spec: seed a big company', async (m) => {
      await m.query(
        `INSERT INTO employee_links (company_id, portal_host, employee_id, lms_user_id)
         SELECT $1, $2, gen_random_uuid(), g::text FROM generate_series(1, $3) g`,
        [company, HOST, PEOPLE],
      );
      // Hires queued faster than they are pushed: its workers busy, a backlog behind them.
      await m.query(
        `INSERT INTO push_queue (company_id, event_id, employee_id, version, event, subject,
                                 stream_sequence, state, attempts, claimed_by, claimed_at,
                                 claimed_until, next_attempt_at)
         SELECT $1, gen_random_uuid(), gen_random_uuid(), 1, '{}', 'employee.hired', g,
                CASE WHEN g <= $2 THEN 'claimed' ELSE 'pending' END, (g <= $2)::int,
                CASE WHEN g <= $2 THEN gen_random_uuid() END, CASE WHEN g <= $2 THEN now() END,
                CASE WHEN g <= $2 THEN now() + interval '1 minute' END,
                now() - make_interval(secs => $3 - g)
           FROM generate_series(1, $3) g`,
        [company, WORKERS, WORKERS + BACKLOG],
      );
    });
    // The queue's statistics as autovacuum would have them (the links keep none: their reads
    // must not need them); as the table's owner (the service's role is not).
    await withPg(service.env.DATABASE_URL, (pg) =>
      pg.query(`ANALYZE "${service.env.DB_SCHEMA}".push_queue`),
    );
  });
  afterAll(() => service?.close());

  it("reads one employee's link by its key, not the company's every link", async () => {
    const [sql, params] = dataSourceOf(service)
      .getRepository(EmployeeLinkRow)
      .createQueryBuilder('EmployeeLinkRow')
      .setFindOptions({ where: { companyId: company, portalHost: HOST, employeeId: randomUUID() } })
      .getQueryAndParameters();

    const plan = await explain(service, company, sql, params);

    expect(rowsRead(plan, 'employee_links')).toBeLessThanOrEqual(1);
  });

  it("reads a push's first read (pushed already?, last version, link) by their keys", async () => {
    const [{ employee_id: employeeId }] = (await companyTransaction(
      dataSourceOf(service),
      company,
      (m) =>
        m.query('SELECT employee_id FROM employee_links WHERE company_id = $1 LIMIT 1', [company]),
    )) as { employee_id: string }[];

    const plan = await explain(service, company, PUSHED_READ, [
      company,
      randomUUID(),
      employeeId,
      HOST,
    ]);

    expect(rowsRead(plan, 'employee_links')).toBe(1);
  });

  it("reads one LMS user's link by its key", async () => {
    const [sql, params] = dataSourceOf(service)
      .getRepository(EmployeeLinkRow)
      .createQueryBuilder('EmployeeLinkRow')
      .setFindOptions({ where: { companyId: company, portalHost: HOST, lmsUserId: '42' } })
      .getQueryAndParameters();

    const plan = await explain(service, company, sql, params);

    expect(rowsRead(plan, 'employee_links')).toBeLessThanOrEqual(1);
  });

  // The claim is serialised deployment-wide: it must not walk a company's backlog (row by row,
  // every claim) to learn that the company is busy.
  it.each([
    ['the claim read', CLAIM_READ],
    ['its fallback', CLAIM_READ_ALL],
  ])('%s stays off the backlog of a company with its workers busy', async (_name, sql) => {
    const plan = await explain(service, null, sql, [WORKERS, randomUUID(), 8 * WORKERS]);

    expect(rowsRead(plan, 'push_queue')).toBeLessThan(BACKLOG / 10);
  });

  it("claims the company's next push once a worker is free, in queue order", async () => {
    const owner = randomUUID();
    await acrossCompanies(dataSourceOf(service), 'spec: a push done', (m) =>
      m.query(
        `DELETE FROM push_queue WHERE company_id = $1
            AND seq = (SELECT min(seq) FROM push_queue WHERE state = 'claimed')`,
        [company],
      ),
    );

    const [claimed, ...more] = await service.app.get(PushQueue).claim(1, owner, 60_000);

    expect(more).toEqual([]);
    expect(claimed.streamSequence).toBe(WORKERS + 1);
  });
});
