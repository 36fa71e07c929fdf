import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { parseDuration } from '@talentsync/shared/config';
import { acrossCompanies, companyTransaction } from '@talentsync/shared/database';
import { SyncEnv } from '../config/sync.env';
import { poolsToTry, type SlotPool } from './run-slot-rules';

/** A run another replica may take over (or waiting for a slot), and its company. */
export interface FreeRun {
  companyId: string;
  id: string;
  heartbeatAt: Date;
}

/**
 * Runs holding a live lease in a CPU slot (executing, not waiting on their portal): a few rows,
 * read through `sync_runs_leased_idx`.
 */
const EXECUTING = `SELECT count(*) FROM sync_runs
   WHERE status = 'running' AND owner IS NOT NULL AND lease_until >= now()
     AND NOT waits_on_portal`;

/** Runs holding a live lease in the allowance for runs waiting on their portals. */
const WAITING_ON_PORTALS = `SELECT count(*) FROM sync_runs
   WHERE status = 'running' AND owner IS NOT NULL AND lease_until >= now()
     AND waits_on_portal`;

/**
 * The runs known to wait on their portals (their row says so, see RunLeases `claim`) that take
 * the waiting pool's free room (`allowance` minus those waiting): the oldest due first, read in
 * index order (`sync_runs_known_waiting_idx`: a few rows). `free` is the condition a run to
 * take meets.
 */
const takingWaitingRoom = (free: string, allowance: string, columns = 'id') =>
  `SELECT ${columns} FROM sync_runs
    WHERE status = 'running' AND waits_on_portal AND (${free})
    ORDER BY due_at, id
    LIMIT greatest(0, ${allowance} - (${WAITING_ON_PORTALS}))`;

/** A run nobody holds a live lease of: a claim may take it. */
const CLAIMABLE = `owner IS NULL OR lease_until < now()`;

/**
 * Takes run $1 of company $5 for owner $2 (lease $3 s), in a CPU slot, when it is free and
 * among the first free-slot count ($4 minus those executing) of the claimable runs, oldest due
 * first, leaving out the runs known to wait that take the waiting pool's room ($6 allowance):
 * they start there (run-slot-rules.ts). Reads the claimable runs in index order
 * (`sync_runs_running_idx`), stopping after $4: with a thousand runs waiting a claim reads a
 * slot's worth of rows, never the queue (the planner knows a cross-company scan meets many
 * rows: see companyIsolation). Exported for the EXPLAIN spec.
 */
export const CLAIM_SLOT = `WITH to_waiting_pool AS (${takingWaitingRoom(CLAIMABLE, '$6')}),
   first_claimable AS (
     SELECT id, row_number() OVER (ORDER BY due_at, id) AS place FROM (
       SELECT id, due_at FROM sync_runs
        WHERE status = 'running' AND (${CLAIMABLE})
          AND id NOT IN (SELECT id FROM to_waiting_pool)
        ORDER BY due_at, id
        LIMIT $4
     ) oldest
   )
   UPDATE sync_runs SET owner = $2, lease_until = now() + make_interval(secs => $3),
          heartbeat_at = now(), waits_on_portal = false
    WHERE company_id = $5 AND id = $1 AND status = 'running' AND (${CLAIMABLE})
      AND (SELECT place FROM first_claimable WHERE first_claimable.id = $1)
          <= $4 - (${EXECUTING})
    RETURNING id`;

/**
 * Takes run $1 of company $5, known to wait on its portal, for owner $2 (lease $3 s) in the
 * waiting pool, when it is among the oldest due such runs that its free room ($4 allowance
 * minus those waiting) takes. Exported for the EXPLAIN spec.
 */
export const CLAIM_WAITING_ROOM = `UPDATE sync_runs
      SET owner = $2, lease_until = now() + make_interval(secs => $3), heartbeat_at = now()
    WHERE company_id = $5 AND id = $1 AND status = 'running' AND waits_on_portal
      AND (${CLAIMABLE})
      AND id IN (${takingWaitingRoom(CLAIMABLE, '$4')})
    RETURNING id`;

/**
 * Whether run $2 of company $1 (still to take) is known to wait on its portal: its row says so
 * (an earlier execution of it ended or was cut off waiting), or its company's previous run
 * ended waiting on its portal (read through `sync_runs_started_idx`). No row: not claimable.
 */
const KNOWN_TO_WAIT = `SELECT r.waits_on_portal AS marked,
          coalesce((SELECT p.waits_on_portal FROM sync_runs p
                     WHERE p.company_id = $1 AND p.id <> $2 AND p.status <> 'running'
                     ORDER BY p.started_at DESC LIMIT 1), false) AS "previousWaited"
     FROM sync_runs r
    WHERE r.company_id = $1 AND r.id = $2 AND r.status = 'running' AND (${CLAIMABLE})`;

/** A free run: nobody's live lease, and unowned for a lease at least (or refused a slot). */
const FREE = `lease_until < now()
   OR (owner IS NULL AND heartbeat_at < now() - make_interval(secs => $1))`;

/**
 * Runs free to take (lease $1 s): the oldest due ones known to wait that the waiting pool's
 * room takes ($3 allowance minus those waiting), and the oldest due of the others, as many as
 * CPU slots are free ($2 minus those executing); read in index order like a claim. Exported
 * for the EXPLAIN spec.
 */
export const FREE_RUNS = `WITH to_waiting_pool AS (
     ${takingWaitingRoom(FREE, '$3', 'company_id, id, heartbeat_at, due_at')}
   ), to_cpu_slots AS (
     SELECT company_id, id, heartbeat_at, due_at FROM (
       SELECT company_id, id, heartbeat_at, due_at FROM sync_runs
        WHERE status = 'running' AND (${FREE})
          AND id NOT IN (SELECT id FROM to_waiting_pool)
        ORDER BY due_at, id
        LIMIT $2
     ) oldest
     ORDER BY due_at, id
     LIMIT greatest(0, $2 - (${EXECUTING}))
   )
   SELECT company_id, id, heartbeat_at FROM (
     SELECT * FROM to_waiting_pool UNION ALL SELECT * FROM to_cpu_slots
   ) free
   ORDER BY due_at, id`;

/** Thrown by a run whose lease another replica took: this replica stops at once. */
export class RunLeaseLost extends Error {
  constructor(runId: string) {
    super(`run ${runId}: another replica took the run over`);
    this.name = 'RunLeaseLost';
  }
}

/** Thrown by a run stopped because this replica shuts down: the run is handed over. */
export class RunHandedOver extends Error {
  constructor(runId: string) {
    super(`run ${runId}: handed over (this replica is stopping)`);
    this.name = 'RunHandedOver';
  }
}

/**
 * One execution's hold on a running run: an owner token and `lease_until`, renewed on a timer
 * with `WHERE owner = me`. When the renewal finds another owner the lease is lost: `halt()`
 * says so and the executor stops applying at once. A renewal that fails (database away) keeps
 * the lease as it stands: only another replica's claim ends it.
 */
export class RunLease {
  private timer?: NodeJS.Timeout;
  private lostTo?: Error;

  constructor(
    private readonly dataSource: DataSource,
    readonly companyId: string,
    readonly runId: string,
    readonly owner: string,
    private readonly leaseMs: number,
    /** Its portal is known to wait (run-slot-rules.ts): it leaves a CPU slot when it can. */
    readonly knownToWait = false,
    /** It was taken in the waiting pool, not in a CPU slot. */
    readonly inWaitingPool = false,
  ) {}

  /** Renews every third of the lease; `alsoEachBeat` runs with each renewal (its errors ignored). */
  keepAlive(apiCalls: () => number, alsoEachBeat: () => Promise<void>): void {
    this.timer = setInterval(
      () =>
        void this.renew(apiCalls())
          .then(alsoEachBeat)
          .catch(() => undefined),
      Math.max(250, Math.floor(this.leaseMs / 3)),
    );
  }

  /** Why this execution must stop (the lease is lost); undefined: it still owns the run. */
  lost(): Error | undefined {
    return this.lostTo;
  }

  /** Extends the lease; resolves false (and the lease is lost) when this owner no longer has it. */
  async renew(apiCalls?: number): Promise<boolean> {
    if (this.lostTo) return false;
    const [rows] = await companyTransaction(this.dataSource, this.companyId, (m) =>
      m.query(
        `UPDATE sync_runs SET lease_until = now() + make_interval(secs => $3),
                heartbeat_at = now(), api_calls = coalesce($4, api_calls)
          WHERE company_id = $5 AND id = $1 AND owner = $2 AND status = 'running' RETURNING id`,
        [this.runId, this.owner, this.leaseMs / 1000, apiCalls ?? null, this.companyId],
      ),
    );
    if ((rows as unknown[]).length === 1) return true;
    this.lostTo = new RunLeaseLost(this.runId);
    return false;
  }

  /**
   * Stops renewing; the run (finished, held or still running) is left without an owner, and
   * `waitsOnPortal` says whether its portal is known to wait now (run-slot-rules
   * endsWaitingOnPortal): the company's next run, or this one resumed, starts in the waiting
   * pool then. Counted in no pool: it holds no lease.
   */
  async end({ handOver = false, waitsOnPortal = false } = {}): Promise<void> {
    clearInterval(this.timer);
    // Handed over: no heartbeat either, so any replica resumes it at once.
    await companyTransaction(this.dataSource, this.companyId, (m) =>
      m.query(
        `UPDATE sync_runs SET owner = NULL, lease_until = NULL, waits_on_portal = $4
                ${handOver ? `, heartbeat_at = 'epoch'` : ''}
          WHERE company_id = $3 AND id = $1 AND owner = $2`,
        [this.runId, this.owner, this.companyId, waitsOnPortal],
      ),
    );
  }

  /** Stops renewing without touching the row (the database is away): the lease runs out. */
  abandon(): void {
    clearInterval(this.timer);
  }
}

/**
 * Claims of runs: a running run is free when nobody owns it and its heartbeat is older than a
 * lease (just started, handed over, waiting for a slot, or left by a version without leases),
 * or when its owner's lease ran out (its replica died or hangs). SYNC_RUN_LEASE is how long
 * that takes. At most SYNC_MAX_CONCURRENT_RUNS runs hold a live lease in a CPU slot at once,
 * deployment-wide, and at most SYNC_MAX_WAITING_RUNS more that moved out of theirs because
 * their portal makes them wait (run-slot-rules.ts); one per company (the database allows one
 * running run per company). Claims and moves are serialised by a transaction advisory lock. A
 * run known to wait on its portal is claimed into the waiting pool when it has room, any other
 * (or with no room there) into a CPU slot; each pool's room goes to its oldest due runs
 * (run-slot-rules.ts says how the two queues meet).
 */
@Injectable()
export class RunLeases {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SyncEnv) private readonly env: SyncEnv,
  ) {}

  private get leaseMs(): number {
    return parseDuration(this.env.SYNC_RUN_LEASE);
  }

  /**
   * Takes the run for a new execution of this replica; undefined when another owner holds a
   * live lease, it is not running, or no slot is free for it (older due runs wait first).
   * Called for runs this replica started or was told to go on with (approved), and for those
   * `free()` listed: an unowned one is taken whatever its heartbeat (the claim itself is
   * atomic: of two replicas, one gets it). A run refused a slot is marked so `free()` lists it
   * at the next tick, whoever started it, and in the queue of runs known to wait if it is one.
   */
  async claim(companyId: string, runId: string): Promise<RunLease | undefined> {
    const owner = randomUUID();
    const claimed = await acrossCompanies(
      this.dataSource,
      'run slots: count the runs executing deployment-wide before taking one',
      async (m): Promise<{ pool: SlotPool; knownToWait: boolean } | undefined> => {
        const [known]: { marked: boolean; previousWaited: boolean }[] = await m.query(
          KNOWN_TO_WAIT,
          [companyId, runId],
        );
        if (!known) return undefined; // not running, or another owner's live lease
        const knownToWait = known.marked || known.previousWaited;
        const pool = await this.takeSlot(m, companyId, runId, owner, knownToWait, known.marked);
        if (pool) return { pool, knownToWait };
        await m.query(
          `UPDATE sync_runs SET heartbeat_at = 'epoch', waits_on_portal = waits_on_portal OR $3
            WHERE company_id = $2 AND id = $1 AND status = 'running' AND owner IS NULL
              AND (heartbeat_at <> 'epoch' OR (NOT waits_on_portal AND $3))`,
          [runId, companyId, knownToWait],
        );
        return undefined;
      },
    );
    if (!claimed) return undefined;
    return new RunLease(
      this.dataSource,
      companyId,
      runId,
      owner,
      this.leaseMs,
      claimed.knownToWait,
      claimed.pool === 'waiting',
    );
  }

  /** The claim itself, under the slot lock: the pool it took; undefined: refused. */
  private async takeSlot(
    m: EntityManager,
    companyId: string,
    runId: string,
    owner: string,
    knownToWait: boolean,
    marked: boolean,
  ): Promise<SlotPool | undefined> {
    const slots = this.env.SYNC_MAX_CONCURRENT_RUNS;
    const allowance = this.env.SYNC_MAX_WAITING_RUNS;
    const pools = poolsToTry(knownToWait, allowance);
    // The lock only when a slot of its pools may be free: with every slot taken (hundreds of
    // runs waiting) a claim is refused at once instead of queueing on the lock.
    const locked: unknown[] = await m.query(
      `SELECT pg_advisory_xact_lock(hashtext($1)) FROM (SELECT 1) one
        WHERE (${EXECUTING}) < $2 OR ($4 AND (${WAITING_ON_PORTALS}) < $3)`,
      [this.slotsKey, slots, allowance, pools.includes('waiting')],
    );
    if (locked.length === 0) return undefined;
    // Known from its company's previous run: in the queue of runs known to wait from now on.
    if (knownToWait && !marked)
      await m.query(
        `UPDATE sync_runs SET waits_on_portal = true WHERE company_id = $1 AND id = $2`,
        [companyId, runId],
      );
    for (const pool of pools) {
      const [rows] =
        pool === 'waiting'
          ? await m.query(CLAIM_WAITING_ROOM, [
              runId,
              owner,
              this.leaseMs / 1000,
              allowance,
              companyId,
            ])
          : await m.query(CLAIM_SLOT, [
              runId,
              owner,
              this.leaseMs / 1000,
              slots,
              companyId,
              allowance,
            ]);
      if ((rows as unknown[]).length === 1) return pool;
    }
    return undefined;
  }

  /**
   * Moves the run of `lease` out of its CPU slot into the allowance for runs waiting on their
   * portals, when that has room (SYNC_MAX_WAITING_RUNS); resolves whether it moved (its CPU
   * slot is free now: start a waiting run). It stays there until it ends; its end says
   * whether it still waits (RunLease `end`), and a run resumed after a lease that ran out in
   * the waiting pool is known to wait.
   */
  async waitOnPortal(lease: RunLease): Promise<boolean> {
    const allowance = this.env.SYNC_MAX_WAITING_RUNS;
    if (allowance <= 0) return false;
    return acrossCompanies(
      this.dataSource,
      'run slots: count the runs waiting on their portals deployment-wide before moving one',
      async (m) => {
        const locked: unknown[] = await m.query(
          `SELECT pg_advisory_xact_lock(hashtext($1)) FROM (SELECT 1) one
            WHERE (${WAITING_ON_PORTALS}) < $2`,
          [this.slotsKey, allowance],
        );
        if (locked.length === 0) return false;
        const [rows] = await m.query(
          `UPDATE sync_runs SET waits_on_portal = true
            WHERE company_id = $1 AND id = $2 AND owner = $3 AND status = 'running'
              AND lease_until >= now() AND NOT waits_on_portal
              AND (${WAITING_ON_PORTALS}) < $4
            RETURNING id`,
          [lease.companyId, lease.runId, lease.owner, allowance],
        );
        return (rows as unknown[]).length === 1;
      },
    );
  }

  /**
   * Running runs another replica may take over now, or that wait for a slot: the oldest due
   * first, as many as there are free CPU slots now, and those known to wait on their portals
   * that the waiting pool's room takes (none when every slot is taken: a claim would be
   * refused). Reads the leased runs and the running indexes in order, never every waiting run.
   */
  async free(): Promise<FreeRun[]> {
    const rows: { company_id: string; id: string; heartbeat_at: Date }[] = await acrossCompanies(
      this.dataSource,
      'lease expiry: runs of any company whose replica died, or waiting for a slot',
      (m) =>
        m.query(FREE_RUNS, [
          this.leaseMs / 1000,
          this.env.SYNC_MAX_CONCURRENT_RUNS,
          this.env.SYNC_MAX_WAITING_RUNS,
        ]),
    );
    return rows.map((r) => ({
      companyId: r.company_id,
      id: r.id,
      heartbeatAt: new Date(r.heartbeat_at),
    }));
  }

  private get slotsKey(): string {
    return `talentsync:run-slots:${this.env.DB_SCHEMA}`;
  }
}
