import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { EmployeeEvent } from '@talentsync/contracts';
import { parseDuration } from '@talentsync/shared/config';
import { acrossCompanies, companyTransaction, preparedQuery } from '@talentsync/shared/database';
import { SyncEnv } from '../config/sync.env';
import {
  heldUpWorkers,
  idleReadIsEnough,
  isHeldUp,
  pickClaims,
  type ClaimCandidate,
  type CompanyLoad,
  type CompanyQueueState,
} from './push-claim-rules';

/** Where a queued event came from: its dead letter, if it turns out untrusted, names it. */
export interface EventOrigin {
  subject: string;
  streamSequence: number;
}

/** A push a worker of this replica holds the lease of. */
export interface ClaimedPush extends EventOrigin {
  companyId: string;
  eventId: string;
  event: EmployeeEvent;
  /** This attempt's number (1 the first time). */
  attempts: number;
}

/** A push this owner holds ($1 company, $2 event, $3 owner): a lease taken over is not ours. */
const HELD = 'WHERE company_id = $1 AND event_id = $2 AND claimed_by = $3';

/**
 * A push off the queue, and whether its company has others queued (the DELETE's own row is
 * still seen by the statement's snapshot, hence `<> $2`). Not prepared: its generic plan made on
 * an empty queue read the whole queue (a sequential scan) for the DELETE.
 */
const FINISH = `
  WITH gone AS (DELETE FROM push_queue ${HELD} RETURNING 1)
  SELECT EXISTS (SELECT FROM push_queue WHERE company_id = $1 AND event_id <> $2) AS more`;

/** A push in flight: its lease still runs (a run-out one is claimable again). */
const LIVE = `claimed_until >= now()`;

/**
 * The companies with a push claimed, in flight or its lease run out (push_queue_claimed_idx): at
 * most the deployment's workers and the leases of a replica that died. A company with a failed
 * push waiting for its retry is not one: the claim reads it only if it has a candidate (LOADS).
 */
const CLAIMED = `
    SELECT company_id,
           count(*) FILTER (WHERE ${LIVE})::int AS in_flight,
           count(*) FILTER (WHERE ${LIVE} AND claimed_by = $2)::int AS in_flight_here,
           min(claimed_at) FILTER (WHERE ${LIVE}) AS oldest_claimed_at
      FROM push_queue
     WHERE state = 'claimed'
     GROUP BY company_id`;

/**
 * Whether a push of `companyId` failed (and waits for, or is on, its next attempt): one probe of
 * push_queue_retrying_idx. A scalar subquery, never hashed: as an EXISTS the planner may read
 * every failed push of every company once instead of probing for the few companies asked.
 */
const retrying = (companyId: string) =>
  `coalesce((SELECT true FROM push_queue f
              WHERE f.company_id = ${companyId} AND f.last_error IS NOT NULL LIMIT 1), false)`;

/**
 * The load of each company pickClaims looks at: those with a push claimed (their pushes here
 * count against the held-up share) and those with a candidate; retrying: a push of it failed
 * (one probe each). Listed: claimed or retrying (the others hold
 * nothing). Materialized, so the probes stay per listed company.
 */
const LOADS = `
  loads AS MATERIALIZED (
    SELECT k.company_id AS "companyId",
           coalesce(c.in_flight, 0) AS "inFlight",
           coalesce(c.in_flight_here, 0) AS "inFlightHere",
           (extract(epoch FROM now() - c.oldest_claimed_at) * 1000)::float8 AS "oldestInFlightMs",
           ${retrying('k.company_id')} AS retrying,
           c.company_id IS NOT NULL AS claimed
      FROM (SELECT company_id FROM claimed UNION SELECT "companyId" FROM candidates) k
      LEFT JOIN claimed c USING (company_id)
  )`;

/**
 * Per-employee order: not an employee's later version while an earlier one is queued, nor any
 * of its pushes while another of it is in flight (a live lease). The second matters since the
 * consumer takes several events at once on each replica: an earlier version can be queued
 * after a later one was claimed (the replica that held it died before queueing it); it then
 * waits for that push to end and is recorded skipped as older, never pushed beside it.
 * One probe of push_queue_employee_idx (company, employee) per push looked at. A scalar
 * subquery, so the planner cannot make it a join that reads every queued push of the company
 * for each one (a backlog of thousands); in coalesce, so it takes it to pass half the pushes (a
 * bare `IS NULL` it takes to pass 0.5%, and then sorts every due push rather than read the
 * first few in due order).
 */
const EARLIEST_VERSION = `coalesce((SELECT false FROM push_queue e
          WHERE e.company_id = q.company_id AND e.employee_id = q.employee_id
            AND ((e.version, e.seq) < (q.version, q.seq)
              OR (e.state = 'claimed' AND e.claimed_until >= now() AND e.event_id <> q.event_id))
          LIMIT 1), true)`;

/** Company `c`'s first $1 pending due pushes and its run-out leases, each its employee's earliest. */
const FIRST_OF_CLAIMED = `
    SELECT r.*, false AS idle FROM claimed c CROSS JOIN LATERAL (
      (SELECT company_id, event_id, seq, next_attempt_at FROM push_queue q
        WHERE q.company_id = c.company_id AND state = 'pending' AND next_attempt_at <= now()
          AND ${EARLIEST_VERSION}
        ORDER BY next_attempt_at, seq LIMIT $1)
      UNION ALL
      SELECT company_id, event_id, seq, next_attempt_at FROM push_queue q
       WHERE q.company_id = c.company_id AND state = 'claimed' AND claimed_until < now()
         AND ${EARLIEST_VERSION}
    ) r`;

/**
 * The claim's read, under its lock: the candidates and the loads (LOADS), as JSON arrays in one
 * row. A candidate is pending and due or its lease ran out, its employee's earliest queued
 * version; at most $1 of a company (the free workers, at most the cap), with its place in its
 * company's due order. A bounded read that changes nothing pickClaims picks:
 * - a company with a push claimed (pickClaims may pass it over): its first $1 (FIRST_OF_CLAIMED);
 * - the others (idle): those among the earliest due $3 pushes of all (push_queue_due_idx: a
 *   claimed company's backlog is read at most $3 deep, not walked whole on every claim);
 *   enough unless idleReadIsEnough says otherwise, then the claim reads again with
 *   CLAIM_READ_ALL.
 * Companies with a failed push waiting for its retry and nothing due are never read.
 * `idleRead` says how many of the $3 were read. Exported for the EXPLAIN specs.
 */
export const CLAIM_READ = `
  WITH claimed AS (${CLAIMED}
  ), due AS (
    SELECT company_id, event_id, employee_id, version, seq, next_attempt_at FROM push_queue
     WHERE state = 'pending' AND next_attempt_at <= now()
     ORDER BY next_attempt_at, seq LIMIT $3
  ), idle AS (
    SELECT company_id, event_id, seq, next_attempt_at, true AS idle FROM due q
     WHERE company_id NOT IN (SELECT company_id FROM claimed)
       AND ${EARLIEST_VERSION}
  ), candidates AS (
    SELECT * FROM (
      SELECT company_id AS "companyId", event_id AS "eventId", seq, idle,
             (extract(epoch FROM next_attempt_at) * 1000)::float8 AS "dueAt",
             row_number() OVER (PARTITION BY company_id ORDER BY next_attempt_at, seq) AS place
        FROM (SELECT * FROM idle UNION ALL ${FIRST_OF_CLAIMED}) u
    ) ranked WHERE place <= $1
  ), ${LOADS}
  SELECT (SELECT coalesce(json_agg(c), '[]') FROM candidates c) AS candidates,
         (SELECT coalesce(json_agg(l), '[]') FROM loads l WHERE claimed OR retrying) AS loads,
         (SELECT count(*)::int FROM due) AS "idleRead"`;

/**
 * The companies with a push pending, one index probe each (a loose scan of
 * push_queue_ready_idx), however many pushes each has queued.
 */
const PENDING_COMPANIES = `
  pending AS (
    (SELECT company_id FROM push_queue WHERE state = 'pending' ORDER BY company_id LIMIT 1)
    UNION ALL
    SELECT (SELECT q.company_id FROM push_queue q
             WHERE q.state = 'pending' AND q.company_id > p.company_id
             ORDER BY q.company_id LIMIT 1)
      FROM pending p WHERE p.company_id IS NOT NULL
  )`;

/**
 * CLAIM_READ's fallback: the idle companies' first $1 ready pushes each (PENDING_COMPANIES; a
 * company's backlog is not read past them); of those, the first $3 by place and due time of the
 * companies not held up, and the first push of the first $3 held-up ones (one each at most:
 * pickClaims passes over the rest). The claimed companies' as CLAIM_READ.
 */
export const CLAIM_READ_ALL = `
  WITH RECURSIVE claimed AS (${CLAIMED}
  ), ${PENDING_COMPANIES}, ranked AS (
    SELECT r.company_id AS "companyId", r.event_id AS "eventId", r.seq, true AS idle,
           r.next_attempt_at, (extract(epoch FROM r.next_attempt_at) * 1000)::float8 AS "dueAt",
           row_number() OVER (PARTITION BY r.company_id ORDER BY r.next_attempt_at, r.seq) AS place,
           ${retrying('r.company_id')} AS held_up
      FROM pending p CROSS JOIN LATERAL (
        SELECT company_id, event_id, seq, next_attempt_at FROM push_queue q
         WHERE q.company_id = p.company_id AND state = 'pending' AND next_attempt_at <= now()
           AND ${EARLIEST_VERSION}
         ORDER BY next_attempt_at, seq LIMIT $1
      ) r
     WHERE p.company_id IS NOT NULL AND p.company_id NOT IN (SELECT company_id FROM claimed)
  ), candidates AS (
    (SELECT "companyId", "eventId", seq, idle, "dueAt", place FROM ranked
      WHERE NOT held_up ORDER BY place, next_attempt_at, seq LIMIT $3)
    UNION ALL
    (SELECT "companyId", "eventId", seq, idle, "dueAt", place FROM ranked
      WHERE place = 1 AND held_up ORDER BY next_attempt_at, seq LIMIT $3)
    UNION ALL
    SELECT company_id, event_id, seq, idle, (extract(epoch FROM next_attempt_at) * 1000)::float8,
           row_number() OVER (PARTITION BY company_id ORDER BY next_attempt_at, seq)
      FROM (${FIRST_OF_CLAIMED}) f
  ), ${LOADS}
  SELECT (SELECT coalesce(json_agg(c), '[]') FROM candidates c WHERE place <= $1) AS candidates,
         (SELECT coalesce(json_agg(l), '[]') FROM loads l WHERE claimed OR retrying) AS loads`;

/** Serialises the claims deployment-wide (PushQueue.claim, and enqueue's claim as queued). */
const CLAIM_LOCK = "SELECT pg_advisory_xact_lock(hashtext('push-queue-claims'))";

/**
 * An event queued and claimed at once ($8 the owner, $9 the lease in seconds) when its company
 * has no push queued at all: none in flight (its cap, the employee's one at a time), none
 * failed (not held up), none due before it (its company's order), so pickClaims would rank it
 * first (turn 0) and take it for a free worker. Else queued pending, as without an owner.
 * Under CLAIM_LOCK (see enqueue); a company gets at most one push in flight this way. Prepared
 * (planned once per connection): its generic plan probes by the company's key however full the
 * queue (prepared-plans.integration-spec.ts).
 */
const CLAIMED_AS_QUEUED = `
  INSERT INTO push_queue
    (company_id, event_id, employee_id, version, event, subject, stream_sequence,
     state, attempts, claimed_by, claimed_at, claimed_until)
  SELECT $1, $2, $3, $4, $5, $6, $7,
         CASE WHEN idle THEN 'claimed' ELSE 'pending' END, CASE WHEN idle THEN 1 ELSE 0 END,
         CASE WHEN idle THEN $8::uuid END, CASE WHEN idle THEN now() END,
         CASE WHEN idle THEN now() + make_interval(secs => $9) END
    FROM (SELECT NOT EXISTS (SELECT FROM push_queue WHERE company_id = $1) AS idle) company
  ON CONFLICT (company_id, event_id) DO NOTHING
  RETURNING state, attempts`;

/** CLAIM_READ's window of the idle companies' pushes, per free worker. */
const IDLE_READ_PER_WORKER = 8;

/**
 * The `push_queue` table (issue 15): the consumer records events here in their company's
 * transaction; workers claim them in short transactions across companies that commit BEFORE
 * any TalentLMS call, so no partition, lock or stream waits on a slow portal.
 */
@Injectable()
export class PushQueue {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SyncEnv) private readonly env: SyncEnv,
  ) {}

  private get leaseSeconds(): number {
    return parseDuration(this.env.PUSH_LEASE) / 1000;
  }

  /**
   * Queues an event once (a redelivered one is already there, or pushed: no second row). With
   * `owner` (a worker of that replica is free for it) it is claimed as it is queued when its
   * company has nothing queued at all (CLAIMED_AS_QUEUED): the claim's transaction, and the
   * wake-up before it, are saved. Answers the push so claimed, else undefined (pending).
   */
  async enqueue(
    event: EmployeeEvent,
    origin: EventOrigin,
    owner?: string,
  ): Promise<ClaimedPush | undefined> {
    const { companyId } = event;
    const values = [
      companyId,
      event.eventId,
      event.employee.id,
      event.version,
      JSON.stringify(event),
      origin.subject,
      origin.streamSequence,
    ];
    if (!owner) {
      await companyTransaction(this.dataSource, companyId, (m) =>
        m.query(
          `INSERT INTO push_queue
             (company_id, event_id, employee_id, version, event, subject, stream_sequence)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (company_id, event_id) DO NOTHING`,
          values,
        ),
      );
      return undefined;
    }
    // The claims' lock, taken with the scope (one round trip) and held to the commit: the
    // check below reads after every claim and claimed enqueue before it committed, and none
    // after it claims before this one is seen (a company's cap, one push of an employee).
    const [row]: { state: string; attempts: number }[] = await companyTransaction(
      this.dataSource,
      companyId,
      (m) => preparedQuery(m, CLAIMED_AS_QUEUED, [...values, owner, this.leaseSeconds]),
      CLAIM_LOCK,
    );
    if (row?.state !== 'claimed') return undefined;
    return {
      companyId,
      eventId: event.eventId,
      event,
      attempts: row.attempts,
      subject: origin.subject,
      streamSequence: origin.streamSequence,
    };
  }

  /**
   * Leases up to `free` pushes to `owner` (a replica). Candidates are each employee's earliest
   * queued version (pending, or its lease run out; due), so an employee's next version waits
   * until the one before is done; pickClaims shares them between companies from each one's
   * load (in flight, here and anywhere; held up: in flight longer than `slowAfterMs`, or
   * retrying). Claims are serialised deployment-wide (an advisory lock) so the per-company caps
   * hold across replicas: under it one read (candidates and loads; rarely two, see
   * CLAIM_READ) and one UPDATE. Three round trips when nothing is claimable, four when some is.
   */
  async claim(free: number, owner: string, slowAfterMs: number): Promise<ClaimedPush[]> {
    if (free <= 0) return [];
    return acrossCompanies(
      this.dataSource,
      'push queue: claim ready pushes, round-robin between companies',
      async (m) => {
        // Under CLAIM_LOCK, taken with the transaction's begin (one round trip). Committed
        // synchronously on purpose: with `synchronous_commit = off` (c8b5d08) a claim is
        // ~1-2 ms quicker and no later commit waits for its WAL, but push-latency measured no
        // better (its runs spread from 0.1 to 15 s with the machine's load either way).
        const perCompany = Math.min(free, this.env.PUSH_MAX_IN_FLIGHT_PER_COMPANY);
        const idleRead = IDLE_READ_PER_WORKER * free;
        let [read]: ClaimRead[] = await m.query(CLAIM_READ, [perCompany, owner, idleRead]);
        let load = loadsOf(read, slowAfterMs);
        const idle = read.candidates.filter((c) => c.idle);
        if (!idleReadIsEnough(idle, load, free, read.idleRead === idleRead)) {
          [read] = await m.query(CLAIM_READ_ALL, [perCompany, owner, free]);
          load = loadsOf(read, slowAfterMs);
        }
        if (read.candidates.length === 0) return [];
        const picked = pickClaims(read.candidates, load, {
          free,
          maxInFlightPerCompany: this.env.PUSH_MAX_IN_FLIGHT_PER_COMPANY,
          heldUpWorkers: heldUpWorkers(this.env.PUSH_CONCURRENCY, this.env.PUSH_HELD_UP_SHARE),
        });
        if (picked.length === 0) return [];
        // An UPDATE answers [rows, count].
        const [rows]: [ClaimedRow[], number] = await m.query(
          `UPDATE push_queue q
              SET state = 'claimed', claimed_by = $3, attempts = q.attempts + 1,
                  claimed_at = now(), claimed_until = now() + make_interval(secs => $4)
             FROM (SELECT company_id, event_id FROM push_queue
                    WHERE (company_id, event_id) IN
                          (SELECT * FROM unnest($1::uuid[], $2::uuid[]))
                      AND (state = 'pending' OR claimed_until < now())
                    FOR UPDATE SKIP LOCKED) AS free
            WHERE q.company_id = free.company_id AND q.event_id = free.event_id
        RETURNING q.company_id, q.event_id, q.event, q.attempts, q.subject, q.stream_sequence, q.seq`,
          [picked.map((p) => p.companyId), picked.map((p) => p.eventId), owner, this.leaseSeconds],
        );
        return rows
          .sort((a, b) => +a.seq - +b.seq)
          .map((r) => ({
            companyId: r.company_id,
            eventId: r.event_id,
            event: r.event,
            attempts: r.attempts,
            subject: r.subject,
            streamSequence: Number(r.stream_sequence),
          }));
      },
      CLAIM_LOCK,
    );
  }

  /** Extends the lease while the push works; false when it was lost (taken over, or gone). */
  async renew(push: ClaimedPush, owner: string): Promise<boolean> {
    const [, count] = await this.held(
      push,
      owner,
      `UPDATE push_queue SET claimed_until = now() + make_interval(secs => $4)`,
      [this.leaseSeconds],
    );
    return count > 0;
  }

  /**
   * The push settled (its outcome recorded, or nothing to push): off the queue. Answers whether
   * its company has other pushes queued (one of them may have waited for this one).
   */
  async finish(push: ClaimedPush, owner: string): Promise<boolean> {
    return companyTransaction(this.dataSource, push.companyId, (m) =>
      this.finishIn(m, push, owner),
    );
  }

  /** finish() in `m`, a transaction of the push's company (the one recording its outcome). */
  async finishIn(m: EntityManager, push: ClaimedPush, owner: string): Promise<boolean> {
    const [row]: { more: boolean }[] = await m.query(FINISH, [push.companyId, push.eventId, owner]);
    return row.more;
  }

  /** Back in the queue, due again in `delayMs`; the employee's later versions keep waiting. */
  async retryLater(
    push: ClaimedPush,
    owner: string,
    delayMs: number,
    error: string,
  ): Promise<void> {
    await this.held(
      push,
      owner,
      `UPDATE push_queue SET state = 'pending', claimed_by = NULL, claimed_until = NULL, claimed_at = NULL,
              next_attempt_at = now() + make_interval(secs => $4), last_error = $5`,
      [delayMs / 1000, error],
    );
  }

  /** One statement on a push this owner holds (a lease taken over is not ours to change). */
  private held(
    push: ClaimedPush,
    owner: string,
    statement: string,
    extra: unknown[] = [],
  ): Promise<[unknown, number]> {
    return companyTransaction(this.dataSource, push.companyId, (m) =>
      m.query(`${statement} ${HELD}`, [push.companyId, push.eventId, owner, ...extra]),
    );
  }
}

interface ClaimedRow {
  company_id: string;
  event_id: string;
  event: EmployeeEvent;
  attempts: number;
  subject: string;
  stream_sequence: string;
  seq: string;
}

/** CLAIM_READ's row (json_agg: seq comes as a number, uuids as strings). */
interface ClaimRead {
  /** idle: of a company with nothing claimed (see idleReadIsEnough). */
  candidates: (ClaimCandidate & { idle: boolean })[];
  loads: (CompanyQueueState & { companyId: string })[];
  /** CLAIM_READ's pushes of companies without a load read (CLAIM_READ_ALL: none). */
  idleRead?: number;
}

/** Each listed company's load, held up or not (pickClaims' and idleReadIsEnough's input). */
function loadsOf(read: ClaimRead, slowAfterMs: number): Map<string, CompanyLoad> {
  return new Map(read.loads.map((l) => [l.companyId, { ...l, heldUp: isHeldUp(l, slowAfterMs) }]));
}
