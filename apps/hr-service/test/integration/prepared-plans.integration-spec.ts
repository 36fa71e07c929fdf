import { HrRequests } from '@talentsync/contracts';
import { DataSource } from 'typeorm';
import { createCompany, Hr, rpc, sql, startHr, TestCompany } from './hr-harness';

const PEOPLE = 10_000;

interface PlanNode {
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
}

/** Employees straight into the table: this suite is about reading, not about hiring. */
const seed = (hr: Hr, company: TestCompany, count: number) =>
  sql(
    hr,
    `INSERT INTO employees (id, company_id, first_name, last_name, email, language, hire_date,
       status, version)
     SELECT gen_random_uuid(), $2::uuid, 'Person', 'No ' || n, 'p' || n || '-' || $2::text || '@example.com',
       'en', DATE '2020-01-01', 'active', 1
     FROM generate_series(1, $1) AS n`,
    [count, company.id],
  );

/**
 * hr.employees.get|list run prepared statements calling PL/pgSQL functions (migration
 * 1765400510000): each connection keeps the generic plan Postgres makes there once for each of
 * the functions' queries, and nothing (no ANALYZE on the bench's server) replaces it as the
 * tables grow. Made here on (nearly) empty tables, then run among 10,000 people of another
 * company: they must read by the company's key, a few index pages, not the table. EXPLAIN shows
 * no plan inside a function, but its buffers count what the function read.
 */
describe('hr.employees.get|list planned on empty tables, run on full ones', () => {
  let hr: Hr;
  beforeAll(async () => {
    hr = await startHr({ DB_POOL_SIZE: '1' }); // one connection: the plans EXPLAINed below
  });
  afterAll(() => hr?.close());

  it('read a row, or a page and its company, whatever the table holds', async () => {
    const db = hr.app.get(DataSource);
    await db.query('SET plan_cache_mode = force_generic_plan');
    const small = await createCompany(hr);
    const big = await createCompany(hr);
    await seed(hr, small, 3);
    const [one] = await sql<{ id: string }>(hr, 'SELECT id FROM employees WHERE company_id = $1', [
      small.id,
    ]);
    // The plans, made while the tables are (nearly) empty.
    await rpc(hr, HrRequests.getEmployee, { companyId: small.id, id: one.id });
    await rpc(hr, HrRequests.listEmployees, { companyId: small.id, pageSize: 2 });
    await rpc(hr, HrRequests.listEmployees, { companyId: small.id, ids: [one.id] });
    await seed(hr, big, PEOPLE);
    const [{ pages }] = await sql<{ pages: number }>(
      hr,
      `SELECT (pg_relation_size('employees') / current_setting('block_size')::int)::int AS pages`,
    );

    const calls: [string, string, string][] = [
      ['get', 'hr_employee_reply', `'${small.id}', '${one.id}', false`],
      ['list', 'hr_employee_page', `'${small.id}', 2, 0, NULL, false`],
      ['list ids', 'hr_employee_page', `'${small.id}', 2, 0, '{${one.id}}', false`],
      // The control: counting the big company's 10,000 reads many pages, and the figure shows it.
      ['big count', 'hr_employee_page', `'${big.id}', 2, 0, NULL, false`],
    ];
    const blocks: Record<string, number> = {};
    for (const [label, fn, args] of calls) {
      const [{ 'QUERY PLAN': explained }] = await db.query(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT * FROM ${fn}(${args})`,
      );
      const plan = explained[0].Plan as PlanNode;
      blocks[label] = plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
    }
    process.stdout.write(
      `blocks read by the functions' generic plans: ${JSON.stringify(blocks)} (employees: ${pages} pages)\n`,
    );
    expect(pages).toBeGreaterThan(100);
    const { 'big count': control, ...small3 } = blocks;
    expect(control).toBeGreaterThan(30);
    // By the company's key: a few index and heap pages (the table's scan would be > 100).
    expect(Math.max(...Object.values(small3))).toBeLessThan(30);
  });
});
