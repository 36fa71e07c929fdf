import { randomUUID } from 'node:crypto';
import { acrossCompanies } from '@talentsync/shared/database';
import { withPg } from '@talentsync/shared/testing';
import { CLAIM_SLOT, CLAIM_WAITING_ROOM, FREE_RUNS, RunLeases } from '../../src/runs/run-lease';
import { type PlanNode, rowsRead } from './plan-reads';
import { dataSourceOf, type Orchestrator, startOrchestrator } from './orchestrator-harness';

const SLOTS = 8;
const WAITING = 1_000;
const EXECUTING = 6;
/** SYNC_MAX_WAITING_RUNS: none of the thousand is known to wait on its portal. */
const WAITING_POOL = 6;

// Issue 15: with a thousand runs waiting for a slot, every claim numbered all of them (the
// orchestrator's Postgres used 542 CPU s in the 17-minute run). A claim and the list of free
// runs must read a slot's worth of rows, not the queue.
describe('run slots with a thousand runs waiting, on Postgres', () => {
  let service: Orchestrator;
  let newest: { companyId: string; id: string };
  let oldest: { companyId: string; id: string };

  beforeAll(async () => {
    service = await startOrchestrator({
      SYNC_MAX_CONCURRENT_RUNS: String(SLOTS),
      SYNC_MAX_WAITING_RUNS: String(WAITING_POOL),
      SYNC_RUN_LEASE: '30s',
    });
    await acrossCompanies(dataSourceOf(service), 'spec: seed runs of many companies', async (m) => {
      // Waiting: refused a slot (no owner, heartbeat at epoch), due one a second.
      await m.query(
        `INSERT INTO sync_runs (id, company_id, trigger, direction, status, counts, due_at,
                                heartbeat_at)
         SELECT gen_random_uuid(), gen_random_uuid(), 'initial', 'hr-to-lms', 'running', '{}',
                now() - make_interval(secs => $1 - g), 'epoch'
           FROM generate_series(1, $1) g`,
        [WAITING],
      );
      // Executing: a live lease, due before all of them; and finished runs beside.
      await m.query(
        `INSERT INTO sync_runs (id, company_id, trigger, direction, status, counts, due_at,
                                owner, lease_until)
         SELECT gen_random_uuid(), gen_random_uuid(), 'initial', 'hr-to-lms', 'running', '{}',
                now() - interval '1 day', 'replica-a', now() + interval '30 seconds'
           FROM generate_series(1, $1)`,
        [EXECUTING],
      );
      await m.query(
        `INSERT INTO sync_runs (id, company_id, trigger, direction, status, counts, due_at)
         SELECT gen_random_uuid(), gen_random_uuid(), 'scheduled', 'hr-to-lms', 'succeeded',
                '{}', now() - interval '2 days'
           FROM generate_series(1, 2000)`,
      );
      const [first, last] = await m.query(
        `(SELECT company_id AS "companyId", id FROM sync_runs
           WHERE status = 'running' AND owner IS NULL ORDER BY due_at LIMIT 1)
         UNION ALL
         (SELECT company_id, id FROM sync_runs
           WHERE status = 'running' AND owner IS NULL ORDER BY due_at DESC LIMIT 1)`,
      );
      [oldest, newest] = [first, last];
    });
    // As autovacuum would have (the service's role does not own the table: as its owner).
    await withPg(service.env.DATABASE_URL, (pg) =>
      pg.query(`ANALYZE "${service.env.DB_SCHEMA}".sync_runs`),
    );
  });
  afterAll(() => service?.close());

  /** EXPLAIN ANALYZE of `sql` as RunLeases runs it, rolled back (a claim's UPDATE included). */
  async function explain(sql: string, params: unknown[]): Promise<PlanNode> {
    let plan: PlanNode | undefined;
    await acrossCompanies(dataSourceOf(service), 'spec: EXPLAIN the slot queries', async (m) => {
      const [{ 'QUERY PLAN': explained }] = await m.query(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
        params,
      );
      plan = explained[0].Plan;
      throw new Error('roll back');
    }).catch(() => undefined);
    if (!plan) throw new Error(`no plan for ${sql}`);
    return plan;
  }

  it('a claim reads a slot’s worth of runs, not the thousand waiting, and refuses the newest', async () => {
    const params = (run: { companyId: string; id: string }) => [
      run.id,
      randomUUID(),
      30,
      SLOTS,
      run.companyId,
    ];

    const refused = await explain(CLAIM_SLOT, [...params(newest), WAITING_POOL]);
    const taken = await explain(CLAIM_SLOT, [...params(oldest), WAITING_POOL]);
    // Runs known to wait are read through their own index: none here, however many queue.
    const notKnown = await explain(CLAIM_WAITING_ROOM, [
      oldest.id,
      randomUUID(),
      30,
      WAITING_POOL,
      oldest.companyId,
    ]);

    expect(refused['Actual Rows']).toBe(0);
    expect(taken['Actual Rows']).toBe(1);
    expect(notKnown['Actual Rows']).toBe(0);
    for (const plan of [refused, taken, notKnown])
      expect(rowsRead(plan, 'sync_runs')).toBeLessThan(4 * SLOTS);
  });

  it('the free runs are as many as the free slots, oldest due first, read without the queue', async () => {
    const plan = await explain(FREE_RUNS, [30, SLOTS, WAITING_POOL]);

    expect(plan['Actual Rows']).toBe(SLOTS - EXECUTING);
    expect(rowsRead(plan, 'sync_runs')).toBeLessThan(4 * SLOTS);
    const free = await service.app.get(RunLeases).free();
    expect(free.map((r) => r.id)[0]).toBe(oldest.id);
    expect(free).toHaveLength(SLOTS - EXECUTING);
  });
});
