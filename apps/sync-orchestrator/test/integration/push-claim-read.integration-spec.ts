import { randomUUID } from 'node:crypto';
import { acrossCompanies } from '@talentsync/shared/database';
import { withPg } from '@talentsync/shared/testing';
import { CLAIM_READ, PushQueue } from '../../src/push/push-queue';
import { PushWorkers } from '../../src/push/push-workers';
import { type PlanNode, rowsRead } from './plan-reads';
import { dataSourceOf, type Orchestrator, startOrchestrator } from './orchestrator-harness';

const RETRYING = 1_000;
const IN_FLIGHT = 6;
const HEALTHY = 40;
const FREE = 4;

// Issue 15: every push claim is serialised deployment-wide, and each one read every company
// with a failed push waiting for its retry (a thousand: 17.6 ms a claim read). A claim reads
// the companies it may give a push to and those with pushes claimed, whatever waits to retry.
describe('the push claim read with a thousand companies waiting to retry, on Postgres', () => {
  let service: Orchestrator;
  const inFlight = Array.from({ length: IN_FLIGHT }, () => randomUUID());
  const healthy: string[] = Array.from({ length: HEALTHY }, () => randomUUID());

  beforeAll(async () => {
    service = await startOrchestrator({
      PUSH_CONCURRENCY: String(FREE),
      PUSH_MAX_IN_FLIGHT_PER_COMPANY: '2',
      PUSH_SLOW_AFTER: '1s',
    });
    await service.app.get(PushWorkers).beforeApplicationShutdown();
    await acrossCompanies(
      dataSourceOf(service),
      'spec: seed the queue of many companies',
      async (m) => {
        const push = `INSERT INTO push_queue (company_id, event_id, employee_id, version, event,
                      subject, stream_sequence, state, attempts, claimed_by, claimed_at,
                      claimed_until, next_attempt_at, last_error)`;
        // Each a failed push waiting an hour for its next attempt, nothing else queued.
        await m.query(
          `${push} SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 1, '{}',
                  'employee.hired', 0, 'pending', 1, NULL, NULL, NULL,
                  now() + interval '1 hour', 'TalentLMS answered 500'
           FROM generate_series(1, $1)`,
          [RETRYING],
        );
        // Two in flight (another replica's) and three queued each.
        await m.query(
          `${push} SELECT c, gen_random_uuid(), gen_random_uuid(), 1, '{}', 'employee.hired', 0,
                  CASE WHEN g <= 2 THEN 'claimed' ELSE 'pending' END, (g <= 2)::int,
                  CASE WHEN g <= 2 THEN gen_random_uuid() END, CASE WHEN g <= 2 THEN now() END,
                  CASE WHEN g <= 2 THEN now() + interval '1 minute' END,
                  now() - make_interval(secs => 100 - g), NULL
           FROM unnest($1::uuid[]) c, generate_series(1, 5) g`,
          [inFlight],
        );
        // Two due each, queued after those.
        await m.query(
          `${push} SELECT c, gen_random_uuid(), gen_random_uuid(), 1, '{}', 'employee.hired', 0,
                  'pending', 0, NULL, NULL, NULL, now() - make_interval(secs => 50 - g), NULL
           FROM unnest($1::uuid[]) c, generate_series(1, 2) g`,
          [healthy],
        );
      },
    );
    // As autovacuum would have (the service's role does not own the table: as its owner).
    await withPg(service.env.DATABASE_URL, (pg) =>
      pg.query(`ANALYZE "${service.env.DB_SCHEMA}".push_queue`),
    );
  });
  afterAll(() => service?.close());

  /** EXPLAIN (ANALYZE, BUFFERS) of the claim read as PushQueue.claim runs it. */
  async function explainClaimRead(): Promise<PlanNode> {
    return acrossCompanies(dataSourceOf(service), 'spec: EXPLAIN the claim read', async (m) => {
      const [{ 'QUERY PLAN': explained }] = await m.query(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${CLAIM_READ}`,
        [2, randomUUID(), 8 * FREE],
      );
      return explained[0].Plan as PlanNode;
    });
  }

  it('reads a few rows per free worker and company in flight, none of the companies waiting to retry', async () => {
    const plan = await explainClaimRead();

    const rows = rowsRead(plan, 'push_queue');
    const buffers = plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
    process.stdout.write(
      `CLAIM READ rows=${rows} buffers=${buffers} ms=${(plan as unknown as { 'Actual Total Time': number })['Actual Total Time']}\n`,
    );
    // A thousand companies waiting: a read of each is 1,000 rows (and a probe, 3 blocks, each).
    expect(rows).toBeLessThan(RETRYING / 4);
    expect(buffers).toBeLessThan(RETRYING);
  });

  it('claims round-robin among the companies with pushes due, those in flight after the others', async () => {
    const claimed = await service.app.get(PushQueue).claim(FREE, randomUUID(), 1000);

    expect(claimed).toHaveLength(FREE);
    expect(new Set(claimed.map((p) => p.companyId)).size).toBe(FREE);
    expect(claimed.every((p) => healthy.includes(p.companyId))).toBe(true);
  });

  it('companies failing with pushes due get their share (two of four workers), healthy ones the rest', async () => {
    const failing = await acrossCompanies(
      dataSourceOf(service),
      'spec: forty of the failing companies have a push due, queued first',
      async (m) => {
        const rows: { company_id: string }[] = await m.query(
          `INSERT INTO push_queue (company_id, event_id, employee_id, version, event, subject,
                                   stream_sequence, next_attempt_at)
           SELECT company_id, gen_random_uuid(), gen_random_uuid(), 1, '{}', 'employee.hired', 0,
                  now() - interval '1 hour'
             FROM push_queue WHERE last_error IS NOT NULL LIMIT 40
           RETURNING company_id`,
        );
        return rows.map((r) => r.company_id);
      },
    );

    const claimed = await service.app.get(PushQueue).claim(FREE, randomUUID(), 1000);

    expect(claimed.filter((p) => failing.includes(p.companyId))).toHaveLength(2);
    const others = claimed.filter((p) => !failing.includes(p.companyId));
    expect(others).toHaveLength(2);
    expect(others.every((p) => healthy.includes(p.companyId))).toBe(true);
  });
});
