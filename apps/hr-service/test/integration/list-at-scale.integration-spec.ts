import {
  HR_MAX_PAGE_SIZE,
  HrRequests,
  ListEmployeesResponse,
  REPLY_TOO_LARGE,
} from '@talentsync/contracts';
import { createCompany, Hr, rpc, rpcError, sql, startHr, TestCompany } from './hr-harness';
import { ssnSeal } from '../../src/employees/ssn-seal';

/** Rows straight into the table: this suite is about reading many, not about hiring them. */
async function seed(hr: Hr, company: TestCompany, count: number, text: string) {
  await sql(
    hr,
    `INSERT INTO employees (id, company_id, first_name, last_name, email, language, hire_date, status,
       termination_date, ssn, city, country, job_title, department, location, division, version)
     SELECT gen_random_uuid(), $5, 'Person', 'No ' || n, 'person' || n || '-' || $2 || '@example.com',
       'en', DATE '2020-01-01', CASE WHEN n % 10 = 0 THEN 'terminated' ELSE 'active' END,
       CASE WHEN n % 10 = 0 THEN DATE '2021-01-01' END, $4, $3, $3, $3, $3, $3, $3, 1
     FROM generate_series(1, $1) AS n`,
    // Sealed as the service stores it (one value for all: each opens the same).
    [count, Date.now(), text, ssnSeal.seal('123-45-6789'), company.id],
  );
}

describe(`${HrRequests.listEmployees} at scale`, () => {
  let hr: Hr;
  let company: TestCompany;

  beforeAll(async () => {
    hr = await startHr();
    company = await createCompany(hr);
  });
  afterAll(() => hr?.close());

  it('lists 10,000 employees in pages of 1000, each reply inside one NATS message', async () => {
    await seed(hr, company, 10_000, 'London');
    const ids = new Set<string>();
    for (let page = 1; ; page += 1) {
      const reply = await rpc<ListEmployeesResponse>(hr, HrRequests.listEmployees, {
        companyId: company.id,
        page,
        pageSize: HR_MAX_PAGE_SIZE,
      });
      expect(reply.total).toBe(10_000);
      for (const employee of reply.items) ids.add(employee.id);
      if (reply.items.length < HR_MAX_PAGE_SIZE) break;
    }
    expect(ids.size).toBe(10_000);
    await sql(hr, 'DELETE FROM employees');
  });

  it('refuses a page that would not fit in one NATS message, saying which page size would', async () => {
    await seed(hr, company, 700, 'x'.repeat(255));
    const error = await rpcError(hr, HrRequests.listEmployees, {
      companyId: company.id,
      pageSize: 700,
    });
    expect(error).toMatchObject({ code: REPLY_TOO_LARGE, retryable: false });
    const { maxPageSize } = error.details as { maxPageSize: number };
    expect(maxPageSize).toBeGreaterThan(100);
    expect(maxPageSize).toBeLessThan(700);
    const reply = await rpc<ListEmployeesResponse>(hr, HrRequests.listEmployees, {
      companyId: company.id,
      pageSize: maxPageSize,
    });
    expect(reply.items).toHaveLength(maxPageSize);
  });
});
