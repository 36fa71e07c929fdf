import { randomUUID } from 'node:crypto';
import type { EmployeeEvent } from '@talentsync/contracts';
import { companyTransaction } from '@talentsync/shared/database';
import { EmployeeVersionGuard } from '../../src/engine/employee-version-guard';
import { LinksService } from '../../src/engine/links.service';
import { PushQueue } from '../../src/push/push-queue';
import { PushWorkers } from '../../src/push/push-workers';
import { RunsService } from '../../src/runs/runs.service';
import { type PlanNode, rowsRead } from './plan-reads';
import { dataSourceOf, type Orchestrator, startOrchestrator } from './orchestrator-harness';

const PEOPLE = 10_000;
const PORTAL = 'portal.example';

/**
 * The orchestrator's prepared statements (preparedQuery) run, on each connection, the generic
 * plan Postgres makes there once (plan_cache_mode auto: after 5 custom plans), until something
 * invalidates it. Without statistics (autovacuum is off on the bench's server, nothing ANALYZEs)
 * nothing does, however the tables grow, and a plan made while they were nearly empty may read
 * by a shorter index than the key (push_queue's and sync_run_items' statements did: a company's
 * whole queue or history per call; they stay unprepared, but for the queueing insert, checked
 * here: its probe is by the company alone). So here each statement's generic plan
 * is made on empty tables, then run for a company of 10,000 people: it must read by its key.
 */
describe('the prepared statements, planned on empty tables, on a company of 10,000 people', () => {
  let service: Orchestrator;
  const companyId = randomUUID();
  const employees = Array.from({ length: PEOPLE }, () => randomUUID());

  beforeAll(async () => {
    // One connection: the plans made by the first calls are the ones EXPLAINed below.
    service = await startOrchestrator({ DB_POOL_SIZE: '1' });
    await service.app.get(PushWorkers).beforeApplicationShutdown();
  });
  afterAll(() => service?.close());

  it('reads a row or two of the key, not the company', async () => {
    const db = dataSourceOf(service);
    // The generic plan at once (auto would make it at the 6th run, the tables as empty).
    await db.query('SET plan_cache_mode = force_generic_plan');
    const [first] = employees;
    await service.app.get(LinksService).link(companyId, PORTAL, first, 'u0');
    const guard = service.app.get(EmployeeVersionGuard);
    await guard.reserve(companyId, PORTAL, first, 1);
    await guard.written(companyId, PORTAL, first, 1);
    // The push queue's: an event queued (and claimed: nothing else of its company is), finished.
    const queue = service.app.get(PushQueue);
    const owner = randomUUID();
    const queuedEvent = (company: string, employeeId: string) =>
      ({
        type: 'employee.hired',
        eventId: randomUUID(),
        companyId: company,
        version: 1,
        employee: { id: employeeId },
      }) as unknown as EmployeeEvent;
    const hired = queuedEvent(companyId, first);
    const origin = { subject: 'employee.hired', streamSequence: 1 };
    const claimed = await queue.enqueue(hired, origin, owner);
    expect(claimed?.eventId).toBe(hired.eventId);
    await queue.finish(claimed!, owner);
    // A run item's applied write (link, version, outcome in one statement), on one item.
    const runs = service.app.get(RunsService);
    const run = await runs.start({ companyId, trigger: 'manual', direction: 'hr-to-lms' });
    const [row] = await runs.recordPlan(
      companyId,
      run.id,
      PORTAL,
      [
        {
          action: 'create-lms-user',
          side: 'lms',
          employeeId: first,
          link: true,
          person: 'first',
          reason: 'new',
          changes: [],
          payload: { fields: {} } as never,
        },
      ],
      [],
    );
    await companyTransaction(db, companyId, (m) =>
      runs.recordApplied(
        row,
        {
          companyId,
          portalHost: PORTAL,
          link: { employeeId: first, lmsUserId: 'u0' },
          written: { employeeId: first, version: 1 },
          ids: { lmsUserId: 'u0' },
          mayRewrite: true,
        },
        m,
      ),
    );
    await runs.markItem(row, 'failed', 'why');

    await companyTransaction(db, companyId, async (m) => {
      await m.query(
        `INSERT INTO employee_links (company_id, portal_host, employee_id, lms_user_id)
         SELECT $1, $2, e, 'u' || i FROM unnest($3::uuid[]) WITH ORDINALITY AS t(e, i)
         ON CONFLICT DO NOTHING`,
        [companyId, PORTAL, employees],
      );
      await m.query(
        `INSERT INTO employee_write_versions (company_id, portal_host, employee_id, reserved_version)
         SELECT $1, $2, e, 1 FROM unnest($3::uuid[]) e ON CONFLICT DO NOTHING`,
        [companyId, PORTAL, employees],
      );
      // A backlog of 10,000 queued pushes (an import of everyone).
      await m.query(
        `INSERT INTO push_queue (company_id, event_id, employee_id, version, event, subject,
                                 stream_sequence)
         SELECT $1, gen_random_uuid(), e, 1, '{}', 'employee.hired', 0 FROM unnest($2::uuid[]) e`,
        [companyId, employees],
      );
      await m.query(
        `INSERT INTO sync_run_items (company_id, run_id, seq, action, side, person, reason, status)
         SELECT $1, $2, s, 'create-lms-user', 'lms', 'p', 'new', 'planned'
           FROM generate_series(2, $3::int + 1) s`,
        [companyId, run.id, PEOPLE],
      );
    });
    const prepared: { name: string; statement: string }[] = await db.query(
      `SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'ts\\_%'`,
    );
    const middle = employees[PEOPLE / 2];
    // Each statement with values that hit the seeded company's rows.
    // Another company's event, queued while this one's backlog waits: read by its own key.
    const other = randomUUID();
    const otherEvent = queuedEvent(other, randomUUID());
    const cases: [string, string, unknown[], string?][] = [
      ['link', 'WITH freed AS', [companyId, PORTAL, middle, `u${PEOPLE}`]],
      ['reserve', 'WITH seen AS', [companyId, PORTAL, middle, 2]],
      ['written', 'UPDATE employee_write_versions', [companyId, PORTAL, middle, 2]],
      [
        'queue',
        'INSERT INTO push_queue',
        [
          other,
          otherEvent.eventId,
          otherEvent.employee.id,
          1,
          JSON.stringify(otherEvent),
          'employee.hired',
          2,
          owner,
          6,
        ],
        other,
      ],
      [
        'run item write',
        'WITH freed AS',
        [companyId, PORTAL, middle, `u${PEOPLE}`, middle, 2, run.id, PEOPLE / 2, null, 'u1', true],
      ],
      [
        'run item mark',
        'UPDATE sync_run_items',
        [companyId, run.id, PEOPLE / 2, 'failed', 'why', null, null],
      ],
    ];
    const reads: Record<string, Record<string, number>> = {};
    for (const [label, opening, values, scope = companyId] of cases) {
      // The run item's write opens like the link's: told apart by the table it records in.
      const statement = prepared.find(
        (p) =>
          p.statement.trim().startsWith(opening) &&
          (opening !== 'WITH freed AS' ||
            p.statement.includes('sync_run_items') === (label === 'run item write')),
      );
      expect(statement).toBeDefined();
      const args = values.map((v) =>
        typeof v === 'string' ? `'${v}'` : v === null ? 'NULL' : String(v),
      );
      // EXPLAIN ANALYZE runs the writes: in a transaction undone after.
      const plan = await companyTransaction(db, scope, async (m) => {
        const [{ 'QUERY PLAN': explained }] = await m.query(
          `EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE ${statement?.name}(${args.join(', ')})`,
        );
        throw Object.assign(new Error('undo'), { plan: explained[0].Plan as PlanNode });
      }).catch((e: Error & { plan?: PlanNode }) => {
        if (!e.plan) throw e;
        return e.plan;
      });
      reads[label] = {
        employee_links: rowsRead(plan, 'employee_links'),
        employee_write_versions: rowsRead(plan, 'employee_write_versions'),
        push_queue: rowsRead(plan, 'push_queue'),
        sync_run_items: rowsRead(plan, 'sync_run_items'),
      };
    }
    process.stdout.write(`rows read by the generic plans: ${JSON.stringify(reads)}\n`);
    // A plan by the company's part of a key alone reads its 10,000 rows.
    const most = Math.max(...Object.values(reads).flatMap((r) => Object.values(r)));
    expect(most).toBeLessThanOrEqual(2);
  });
});
