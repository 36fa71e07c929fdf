import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { EmployeeEvent } from '@talentsync/contracts';
import { parseDuration } from '@talentsync/shared/config';
import { acrossCompanies, companyTransaction } from '@talentsync/shared/database';
import { SyncEnv } from '../config/sync.env';
import { heldUpWorkers, pickClaims, type ClaimCandidate } from './push-claim-rules';

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

/** Candidates read per claim at most (the first of every company first, see claim). */
const CANDIDATE_READ_LIMIT = 1000;

/** A push in flight: its lease still runs (a run-out one is claimable again). */
const LIVE = `state = 'claimed' AND claimed_until >= now()`;

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

  private get slowAfterSeconds(): number {
    return parseDuration(this.env.PUSH_SLOW_AFTER) / 1000;
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
   * load (in flight, here and anywhere; held up). Claims are serialised deployment-wide (an
   * advisory lock) so the per-company caps hold across replicas.
   */
  async claim(free: number, owner: string): Promise<ClaimedPush[]> {
    if (free <= 0) return [];
    return acrossCompanies(
      this.dataSource,
      'push queue: claim ready pushes, round-robin between companies',
      async (m) => {
        await m.query("SELECT pg_advisory_xact_lock(hashtext('push-queue-claims'))");
        // A bounded read, not a rule: no company can be given more than `free` in one claim,
        // and every company's first candidate is read before any company's second.
        const candidates: CandidateRow[] = await m.query(
          `WITH ready AS (
             SELECT q.company_id, q.event_id, q.seq, q.next_attempt_at,
                    row_number() OVER (PARTITION BY q.company_id
                                       ORDER BY q.next_attempt_at, q.seq) AS place
               FROM push_queue q
              WHERE q.next_attempt_at <= now()
                AND (q.state = 'pending' OR q.claimed_until < now())
                AND NOT EXISTS (
                  SELECT 1 FROM push_queue e
                   WHERE e.company_id = q.company_id AND e.employee_id = q.employee_id
                     AND (e.version, e.seq) < (q.version, q.seq))
           )
           SELECT company_id, event_id, seq,
                  (extract(epoch FROM next_attempt_at) * 1000)::float8 AS due_at
             FROM ready WHERE place <= $1 ORDER BY place, next_attempt_at, seq LIMIT $2`,
          [free, CANDIDATE_READ_LIMIT],
        );
        if (candidates.length === 0) return [];
        // Companies with a push in flight (a live lease) or one that failed and waits again.
        const loads: LoadRow[] = await m.query(
          `SELECT company_id,
                  count(*) FILTER (WHERE ${LIVE})::int AS in_flight,
                  count(*) FILTER (WHERE ${LIVE} AND claimed_by = $1)::int AS in_flight_here,
                  bool_or(last_error IS NOT NULL
                          OR (${LIVE} AND claimed_at < now() - make_interval(secs => $2)))
                    AS held_up
             FROM push_queue
            WHERE ${LIVE} OR last_error IS NOT NULL
            GROUP BY company_id`,
          [owner, this.slowAfterSeconds],
        );
        const picked = pickClaims<ClaimCandidate>(
          candidates.map((c) => ({
            companyId: c.company_id,
            eventId: c.event_id,
            dueAt: c.due_at,
            seq: +c.seq,
          })),
          new Map(
            loads.map((l) => [
              l.company_id,
              { inFlight: l.in_flight, inFlightHere: l.in_flight_here, heldUp: l.held_up },
            ]),
          ),
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

interface CandidateRow {
  company_id: string;
  event_id: string;
  seq: string;
  due_at: number;
}

interface LoadRow {
  company_id: string;
  in_flight: number;
  in_flight_here: number;
  held_up: boolean;
}
