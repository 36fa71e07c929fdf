import { HrRequests } from '@talentsync/contracts';
import { companyTransaction } from '@talentsync/shared/database';
import { DataSource } from 'typeorm';
import { createCompany, Hr, rpc, sql, startHr, TestCompany } from './hr-harness';

const PEOPLE = 10_000;

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** Rows of `relation` the plan read (returned or filtered out), over all its scans. */
function rowsRead(node: PlanNode, relation: string): number {
  const own =
    node['Relation Name'] === relation
      ? (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops']
      : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsRead(child, relation), 0);
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
 * hr.employees.get|list run prepared statements (preparedQuery): each connection keeps the
 * generic plan Postgres makes there once, and nothing (no ANALYZE on the bench's server)
 * replaces it as the tables grow. Made here on empty tables, then run among 10,000 people of
 * another company: they must read by the company's key, not by the table's.
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

    const prepared: { name: string; statement: string }[] = await db.query(
      `SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'ts\\_%'`,
    );
    const of = (wanted: (text: string) => boolean) => {
      const found = prepared.find((p) => wanted(p.statement));
      expect(found).toBeDefined();
      return found?.name;
    };
    const cases: [string, string | undefined, string[]][] = [
      ['get', of((t) => t.includes('LEFT JOIN employees e ON')), [small.id, one.id]],
      ['list', of((t) => t.includes('LIMIT') && !t.includes('$4')), [small.id, '2', '0']],
      [
        'list ids',
        of((t) => t.includes('LIMIT') && t.includes('$4')),
        [small.id, '2', '0', `{${one.id}}`],
      ],
    ];
    const reads: Record<string, number> = {};
    for (const [label, name, values] of cases) {
      const args = values.map((v) => `'${v}'`).join(', ');
      const [{ 'QUERY PLAN': explained }] = await companyTransaction(db, small.id, (m) =>
        m.query(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE ${name}(${args})`),
      );
      reads[label] = rowsRead(explained[0].Plan as PlanNode, 'employees');
    }
    process.stdout.write(`employees rows read by the generic plans: ${JSON.stringify(reads)}\n`);
    // By the company's part of the key: its 3 people at most (twice: the count and the page).
    expect(Math.max(...Object.values(reads))).toBeLessThanOrEqual(6);
  });
});
