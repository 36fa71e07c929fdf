import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { EmployeeEvent } from '@talentsync/contracts';
import { parseDuration } from '@talentsync/shared/config';
import { acrossCompanies, companyTransaction } from '@talentsync/shared/database';
import { SyncEnv } from '../config/sync.env';
import {
  heldUpWorkers,
  isHeldUp,
  pickClaims,
  type ClaimCandidate,
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

/** A push in flight: its lease still runs (a run-out one is claimable again). */
const LIVE = `state = 'claimed' AND claimed_until >= now()`;

/** The companies with a push claimed or one that failed (push_queue_load_idx): a few rows. */
const LOADS = `
    SELECT company_id AS "companyId",
           count(*) FILTER (WHERE ${LIVE})::int AS "inFlight",
           count(*) FILTER (WHERE ${LIVE} AND claimed_by = $2)::int AS "inFlightHere",
           (extract(epoch FROM now() - min(claimed_at) FILTER (WHERE ${LIVE}))
             * 1000)::float8 AS "oldestInFlightMs",
           bool_or(last_error IS NOT NULL) AS retrying
      FROM push_queue
     WHERE state = 'claimed' OR last_error IS NOT NULL
     GROUP BY company_id`;

/** Not an employee's later version while an earlier one is queued (per-employee order). */
const EARLIEST_VERSION = `NOT EXISTS (
         SELECT 1 FROM push_queue e
          WHERE e.company_id = q.company_id AND e.employee_id = q.employee_id
            AND (e.version, e.seq) < (q.version, q.seq))`;

/**
 * The claim's read, under its lock: every company's load (LOADS) and the candidates, as JSON
 * arrays in one row. A candidate is pending and due or its lease ran out, its employee's
 * earliest queued version; at most $1 of a company (the free workers, at most the cap), with
 * its place in its company's due order. A bounded read that changes nothing pickClaims picks:
 * - a company with a load (which pickClaims may pass over): its first $1;
 * - the others, which have room for all $1 and rank by place and due time only: the earliest
 *   due $3 pushes of them all (push_queue_due_idx). When those hold at least as many companies
 *   as there are free workers, no later push of another company could be taken; when they are
 *   all there are, nothing is missing; otherwise (a company with nothing in flight and many
 *   pushes due first) the claim reads again with CLAIM_READ_ALL.
 * `idleRead` says how many of the $3 were read.
 */
const CLAIM_READ = `
  WITH loads AS (${LOADS}
  ), idle AS (
    SELECT company_id, event_id, seq, next_attempt_at FROM push_queue q
     WHERE state = 'pending' AND next_attempt_at <= now()
       AND company_id NOT IN (SELECT "companyId" FROM loads)
       AND ${EARLIEST_VERSION}
     ORDER BY next_attempt_at, seq LIMIT $3
  ), loaded AS (
    SELECT company_id, event_id, seq, next_attempt_at FROM push_queue q
     WHERE company_id IN (SELECT "companyId" FROM loads)
       AND (state = 'pending' AND next_attempt_at <= now()
            OR state = 'claimed' AND claimed_until < now())
       AND ${EARLIEST_VERSION}
  ), ready AS (
    SELECT company_id AS "companyId", event_id AS "eventId", seq,
           (extract(epoch FROM next_attempt_at) * 1000)::float8 AS "dueAt",
           row_number() OVER (PARTITION BY company_id ORDER BY next_attempt_at, seq) AS place
      FROM (SELECT * FROM idle UNION ALL SELECT * FROM loaded) u
  )
  SELECT (SELECT coalesce(json_agg(r), '[]') FROM ready r WHERE place <= $1) AS candidates,
         (SELECT coalesce(json_agg(l), '[]') FROM loads l) AS loads,
         (SELECT count(*)::int FROM idle) AS "idleRead"`;

/**
 * CLAIM_READ's fallback: every ready push ranked in its company (the window reads them all),
 * then the loaded companies' first $1 and the others' first $3 by place and due time.
 */
const CLAIM_READ_ALL = `
  WITH loads AS (${LOADS}
  ), ready AS (
    SELECT company_id AS "companyId", event_id AS "eventId", seq, next_attempt_at,
           (extract(epoch FROM next_attempt_at) * 1000)::float8 AS "dueAt",
           row_number() OVER (PARTITION BY company_id ORDER BY next_attempt_at, seq) AS place
      FROM push_queue q
     WHERE (state = 'pending' AND next_attempt_at <= now()
            OR state = 'claimed' AND claimed_until < now())
       AND ${EARLIEST_VERSION}
  ), candidates AS (
    (SELECT "companyId", "eventId", seq, "dueAt" FROM ready
      WHERE place <= $1 AND "companyId" IN (SELECT "companyId" FROM loads))
    UNION ALL
    (SELECT "companyId", "eventId", seq, "dueAt" FROM ready
      WHERE place <= $1 AND "companyId" NOT IN (SELECT "companyId" FROM loads)
      ORDER BY place, next_attempt_at, seq LIMIT $3)
  )
  SELECT (SELECT coalesce(json_agg(c), '[]') FROM candidates c) AS candidates,
         (SELECT coalesce(json_agg(l), '[]') FROM loads l) AS loads`;

/** CLAIM_READ's first pushes of companies without a load, per free worker. */
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

  /** Queues an event once (a redelivered one is already there, or pushed: no second row). */
  async enqueue(event: EmployeeEvent, origin: EventOrigin): Promise<void> {
    const { companyId } = event;
    await companyTransaction(this.dataSource, companyId, (m) =>
      m.query(
        `INSERT INTO push_queue
           (company_id, event_id, employee_id, version, event, subject, stream_sequence)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (company_id, event_id) DO NOTHING`,
        [
          companyId,
          event.eventId,
          event.employee.id,
          event.version,
          JSON.stringify(event),
          origin.subject,
          origin.streamSequence,
        ],
      ),
    );
  }

  /**
   * Leases up to `free` pushes to `owner` (a replica). Candidates are each employee's earliest
   * queued version (pending, or its lease run out; due), so an employee's next version waits
   * until the one before is done; pickClaims shares them between companies from each one's
   * load (in flight, here and anywhere; held up: in flight longer than `slowAfterMs`, or
   * retrying). Claims are serialised deployment-wide (an advisory lock) so the per-company caps
   * hold across replicas: under it one read (candidates and loads; rarely two, see
   * CLAIM_READ) and one UPDATE.
   */
  async claim(free: number, owner: string, slowAfterMs: number): Promise<ClaimedPush[]> {
    if (free <= 0) return [];
    return acrossCompanies(
      this.dataSource,
      'push queue: claim ready pushes, round-robin between companies',
      async (m) => {
        // Committed synchronously on purpose: with `synchronous_commit = off` (c8b5d08) a claim
        // is ~1-2 ms quicker and no later commit waits for its WAL, but push-latency measured
        // no better (its runs spread from 0.1 to 15 s with the machine's load either way).
        await m.query("SELECT pg_advisory_xact_lock(hashtext('push-queue-claims'))");
        const perCompany = Math.min(free, this.env.PUSH_MAX_IN_FLIGHT_PER_COMPANY);
        const idleRead = IDLE_READ_PER_WORKER * free;
        let [read]: ClaimRead[] = await m.query(CLAIM_READ, [perCompany, owner, idleRead]);
        if (read.idleRead === idleRead) {
          const loaded = new Set(read.loads.map((l) => l.companyId));
          const idle = new Set(
            read.candidates.map((c) => c.companyId).filter((c) => !loaded.has(c)),
          );
          if (idle.size < free) [read] = await m.query(CLAIM_READ_ALL, [perCompany, owner, free]);
        }
        const { candidates, loads } = read;
        if (candidates.length === 0) return [];
        const picked = pickClaims(
          candidates,
          new Map(loads.map((l) => [l.companyId, { ...l, heldUp: isHeldUp(l, slowAfterMs) }])),
          {
            free,
            maxInFlightPerCompany: this.env.PUSH_MAX_IN_FLIGHT_PER_COMPANY,
            heldUpWorkers: heldUpWorkers(this.env.PUSH_CONCURRENCY, this.env.PUSH_HELD_UP_SHARE),
          },
        );
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

  /** The push settled (its outcome recorded, or nothing to push): off the queue. */
  async finish(push: ClaimedPush, owner: string): Promise<void> {
    await this.held(push, owner, 'DELETE FROM push_queue');
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
      m.query(`${statement} WHERE company_id = $1 AND event_id = $2 AND claimed_by = $3`, [
        push.companyId,
        push.eventId,
        owner,
        ...extra,
      ]),
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
  candidates: ClaimCandidate[];
  loads: (CompanyQueueState & { companyId: string })[];
  /** CLAIM_READ's pushes of companies without a load read (CLAIM_READ_ALL: none). */
  idleRead?: number;
}
