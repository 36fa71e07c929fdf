import type { EntityManager } from 'typeorm';
import { preparedQuery } from '@talentsync/shared/database';
import type { FieldChange } from '@talentsync/mapping-rules';
import type { CountedItem, PlanAction, PlanSide } from '@talentsync/sync-rules';
import type { AppliedIds, AppliedWrite, AppliedWriteStored } from '../engine/apply-recorder';
import { recordWritten } from '../engine/employee-version-guard';
import { FREE_LMS_USER, upsertLink } from '../engine/links.service';
import type { ItemStatus, SyncRunItem } from './sync-run-item.entity';

/**
 * The statements of a run's items (RunsService's, in the caller's company transaction): one per
 * item's outcome, one per 1,000 items of a plan, one to end a run. Plain parameterised SQL, not
 * TypeORM's builders: they run 100,000 times in the many-companies bench's initial syncs.
 */

/** A plan's items are inserted this many at a time. */
const PLAN_CHUNK = 1000;

/** Stores a plan's new rows (their seq set), and gives each the id it was stored under. */
export async function insertPlanItems(
  m: EntityManager,
  companyId: string,
  runId: string,
  rows: SyncRunItem[],
): Promise<void> {
  // Plain SQL over arrays, not TypeORM's insert: ten parameters per chunk, not eleven per
  // row (parsed and planned per chunk), and none of its per-entity work (0.1-0.2 ms an item).
  for (let i = 0; i < rows.length; i += PLAN_CHUNK) {
    const chunk = rows.slice(i, i + PLAN_CHUNK);
    const stored: { id: string; seq: number }[] = await m.query(
      `INSERT INTO sync_run_items
         (company_id, run_id, seq, action, side, employee_id, lms_user_id, person, reason,
          changes, status)
       SELECT $1, $2, v.seq, v.action, v.side, v.employee_id, v.lms_user_id, v.person,
              v.reason, v.changes::jsonb, v.status
         FROM unnest($3::int[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[],
                     $9::text[], $10::text[], $11::text[])
           AS v(seq, action, side, employee_id, lms_user_id, person, reason, changes, status)
       RETURNING id, seq`,
      [
        companyId,
        runId,
        chunk.map((r) => r.seq),
        chunk.map((r) => r.action),
        chunk.map((r) => r.side),
        chunk.map((r) => r.employeeId),
        chunk.map((r) => r.lmsUserId),
        chunk.map((r) => r.person),
        chunk.map((r) => r.reason),
        chunk.map((r) => JSON.stringify(r.changes)),
        chunk.map((r) => r.status),
      ],
    );
    const ids = new Map(stored.map(({ id, seq }) => [Number(seq), String(id)]));
    for (const row of chunk) row.id = ids.get(row.seq) as string;
  }
}

/** The item's own copy as a mark leaves its row (ids not given are kept, as the statements keep them). */
export function markedAs(
  item: SyncRunItem,
  status: ItemStatus,
  error: string | undefined,
  ids: AppliedIds | undefined,
): void {
  Object.assign(item, {
    status,
    error: error ?? null,
    ...(ids?.employeeId ? { employeeId: ids.employeeId } : {}),
    ...(ids?.lmsUserId ? { lmsUserId: ids.lmsUserId } : {}),
  });
}

/** Marks one item (its outcome, an error, the ids it learnt; ids not given are kept). */
export async function markItemIn(
  m: EntityManager,
  item: SyncRunItem,
  status: ItemStatus,
  error?: string,
  ids?: AppliedIds,
): Promise<void> {
  // Prepared, by the item's whole key (company, run, seq): by its id, the generic plan made on
  // empty tables read the company's history by company_id (prepared-plans.integration-spec).
  await preparedQuery(
    m,
    `UPDATE sync_run_items
          SET status = $4, error = $5, employee_id = coalesce($6::uuid, employee_id),
              lms_user_id = coalesce($7::text, lms_user_id), updated_at = now()
        WHERE company_id = $1 AND run_id = $2 AND seq = $3`,
    [
      item.companyId,
      item.runId,
      item.seq,
      status,
      error ?? null,
      ids?.employeeId ?? null,
      ids?.lmsUserId ?? null,
    ],
  );
}

/** Marks many items of one run done in one statement, each with the employee it concerned. */
export async function markDoneIn(
  m: EntityManager,
  companyId: string,
  items: { row: SyncRunItem; employeeId: string }[],
): Promise<void> {
  await m.query(
    `UPDATE sync_run_items AS i SET status = 'done', error = NULL,
       employee_id = v.employee_id, updated_at = now()
       FROM unnest($2::bigint[], $3::uuid[]) AS v(id, employee_id)
      WHERE i.company_id = $1 AND i.id = v.id`,
    [companyId, items.map(({ row }) => row.id), items.map(({ employeeId }) => employeeId)],
  );
}

/**
 * A run item's applied write in ONE statement of the item's transaction (`manager`): its link
 * (as LinksService.link stores it), the version it wrote (as EmployeeVersionGuard.written),
 * and the item done with its ids, unless a newer reservation makes the writer write the
 * latest again first (mustRewriteLatest: reserved after the write > the version written, when
 * it `mayRewrite`). Prepared: every table is reached by its whole key (the item by
 * company, run and seq, not by its id, whose generic plan read the company's history by
 * company_id: prepared-plans.integration-spec.ts).
 */
export async function recordAppliedIn(
  manager: EntityManager,
  row: SyncRunItem,
  write: AppliedWrite,
): Promise<AppliedWriteStored> {
  const { link, written, ids } = write;
  const [answer] = await preparedQuery<{ reserved: number | null; recorded: boolean }[]>(
    manager,
    // `freed` before `linked`: see FREE_LMS_USER. `recorded` reads `written`'s answer.
    `WITH freed AS (${FREE_LMS_USER}
     ), linked AS (${upsertLink('$4::text IS NOT NULL')}
     ), written AS (${recordWritten('$5', '$6::int', '$6::int IS NOT NULL')}
     ), recorded AS (
       UPDATE sync_run_items
          SET status = 'done', error = NULL, employee_id = coalesce($9::uuid, employee_id),
              lms_user_id = coalesce($10::text, lms_user_id), updated_at = now()
        WHERE company_id = $1 AND run_id = $7 AND seq = $8
          AND NOT coalesce($11::boolean AND (SELECT reserved_version FROM written) > $6::int, false)
       RETURNING 1
     )
     SELECT (SELECT reserved_version FROM written) AS reserved,
            (SELECT count(*) FROM recorded) > 0 AS recorded`,
    [
      row.companyId,
      write.portalHost,
      link?.employeeId ?? null,
      link?.lmsUserId ?? null,
      written?.employeeId ?? null,
      written?.version ?? null,
      row.runId,
      row.seq,
      ids.employeeId ?? null,
      ids.lmsUserId ?? null,
      write.mayRewrite,
    ],
  );
  const recorded = answer?.recorded === true;
  if (recorded) markedAs(row, 'done', undefined, ids);
  return {
    ...(answer?.reserved == null ? {} : { reserved: Number(answer.reserved) }),
    recorded,
  };
}

/**
 * What ending a run reads of its items, in plan order: what counting needs (an enrolment's
 * changes; countItems) and what a failure reports (runSummary), as plain rows, not entities
 * (a run of 10,000 items builds 10,000 of them otherwise).
 */
export async function readOutcomes(
  m: EntityManager,
  companyId: string,
  runId: string,
): Promise<(CountedItem & Pick<SyncRunItem, 'action' | 'person' | 'reason' | 'error'>)[]> {
  const rows: {
    action: PlanAction;
    side: PlanSide;
    status: ItemStatus;
    changes: FieldChange[] | null;
    person: string | null;
    reason: string | null;
    error: string | null;
  }[] = await m.query(
    `SELECT action, side, status,
            CASE WHEN action = 'enrol-in-lms' THEN changes END AS changes,
            CASE WHEN status = 'failed' THEN person END AS person,
            CASE WHEN status = 'failed' THEN reason END AS reason,
            CASE WHEN status = 'failed' THEN error END AS error
       FROM sync_run_items WHERE company_id = $1 AND run_id = $2 ORDER BY seq`,
    [companyId, runId],
  );
  return rows.map((row) => ({
    ...row,
    changes: row.changes ?? [],
    person: row.person ?? '',
    reason: row.reason ?? '',
  }));
}
