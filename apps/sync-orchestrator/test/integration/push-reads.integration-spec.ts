import { randomUUID } from 'node:crypto';
import { acrossCompanies, companyTransaction } from '@talentsync/shared/database';
import { EmployeeLinkRow } from '../../src/engine/employee-link.entity';
import { PushWorkers } from '../../src/push/push-workers';
import { type PlanNode, rowsRead } from './plan-reads';
import { dataSourceOf, type Orchestrator, startOrchestrator } from './orchestrator-harness';

const PEOPLE = 10_000;
const HOST = 'big.talentlms.localhost';

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
// people, ~70 ms at 1,000): each push's link read filtered all 10,000 links (11 ms). Seeded
// with no statistics, as the bench leaves its tables (the machine's Postgres runs without
// autovacuum; a new company's links are not analyzed at once anywhere): the lookups must take
// their own key whatever the statistics say.
describe("an instant push's link read in a company of 10,000 people, on Postgres", () => {
  let service: Orchestrator;
  const company = randomUUID();

  beforeAll(async () => {
    service = await startOrchestrator();
    await service.app.get(PushWorkers).beforeApplicationShutdown();
    await acrossCompanies(dataSourceOf(service), 'spec: seed a big company', async (m) => {
      await m.query(
        `INSERT INTO employee_links (company_id, portal_host, employee_id, lms_user_id)
         SELECT $1, $2, gen_random_uuid(), g::text FROM generate_series(1, $3) g`,
        [company, HOST, PEOPLE],
      );
    });
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

  it("reads one LMS user's link by its key", async () => {
    const [sql, params] = dataSourceOf(service)
      .getRepository(EmployeeLinkRow)
      .createQueryBuilder('EmployeeLinkRow')
      .setFindOptions({ where: { companyId: company, portalHost: HOST, lmsUserId: '42' } })
      .getQueryAndParameters();

    const plan = await explain(service, company, sql, params);

    expect(rowsRead(plan, 'employee_links')).toBeLessThanOrEqual(1);
  });
});
