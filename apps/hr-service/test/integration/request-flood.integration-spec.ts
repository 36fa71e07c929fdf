import { HrRequests, ListEmployeesResponse, RpcErrorCodes } from '@talentsync/contracts';
import { NatsRpcClient } from '@talentsync/shared/messaging';
import { createCompany, Hr, rpc, sql, startHr, TestCompany } from './hr-harness';

const FLOOD = 2_000;
const EMPLOYEES = 1_000;

/** Every request of the flood ends as `ok` or with its error code. */
async function flood(hr: Hr, companyId: string, count: number): Promise<Record<string, number>> {
  const client = hr.app.get(NatsRpcClient);
  const outcomes = await Promise.all(
    Array.from({ length: count }, () =>
      // A caller's patience far above the queue's wait: a TIMEOUT here is the machine, not the service.
      client
        .request(
          HrRequests.listEmployees,
          { companyId, pageSize: EMPLOYEES },
          { timeoutMs: 60_000 },
        )
        .then(
          (reply) => (reply.items.length === EMPLOYEES ? 'ok' : 'short page'),
          (error: { code?: string }) => error.code ?? String(error),
        ),
    ),
  );
  const tally: Record<string, number> = {};
  for (const outcome of outcomes) tally[outcome] = (tally[outcome] ?? 0) + 1;
  return tally;
}

describe('a flood of hr.* requests', () => {
  let hr: Hr;
  let company: TestCompany;

  beforeAll(async () => {
    hr = await startHr();
    company = await createCompany(hr);
    await sql(
      hr,
      `INSERT INTO employees (id, company_id, first_name, last_name, email, language, hire_date,
         status, version)
       SELECT gen_random_uuid(), $2, 'Person', 'No ' || n, 'flood' || n || '@example.com', 'en',
         DATE '2020-01-01', 'active', 1
       FROM generate_series(1, $1) AS n`,
      [EMPLOYEES, company.id],
    );
  });
  afterAll(() => hr?.close());

  it('is answered in full or refused BUSY (retryable), never with an internal error', async () => {
    const { concurrency, perKeyConcurrency, perKeyQueue } = hr.env.rpcLimits;
    expect(concurrency).toBeLessThan(hr.env.DB_POOL_SIZE);

    const tally = await flood(hr, company.id, FLOOD);

    expect(Object.keys(tally).sort()).toEqual([RpcErrorCodes.busy, 'ok'].sort());
    // Those that found a turn or a place in the company's queue were served; only the rest were refused.
    expect(tally.ok).toBeGreaterThanOrEqual(perKeyConcurrency + perKeyQueue);
    expect(tally.ok + tally[RpcErrorCodes.busy]).toBe(FLOOD);

    // The service is itself again at once.
    const after = await rpc<ListEmployeesResponse>(hr, HrRequests.listEmployees, {
      companyId: company.id,
      pageSize: 1,
    });
    expect(after.total).toBe(EMPLOYEES);
  }, 120_000);

  it("refuses a company's flood to that company only: another company's request is served", async () => {
    const other = await createCompany(hr);
    const flooding = flood(hr, company.id, FLOOD);
    // Sent after the flood: in arrival order it would find the waiting list full (BUSY).
    const answer = rpc<ListEmployeesResponse>(hr, HrRequests.listEmployees, {
      companyId: other.id,
      pageSize: 1,
    });

    expect((await answer).total).toBe(0);
    expect((await flooding)[RpcErrorCodes.busy]).toBeGreaterThan(0);
  }, 120_000);
});
