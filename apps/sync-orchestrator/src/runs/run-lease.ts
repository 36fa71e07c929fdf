import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { parseDuration } from '@talentsync/shared/config';
import { SyncEnv } from '../config/sync.env';

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
    readonly runId: string,
    readonly owner: string,
    private readonly leaseMs: number,
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
    const [rows] = await this.dataSource.query(
      `UPDATE sync_runs SET lease_until = now() + make_interval(secs => $3), heartbeat_at = now(),
              api_calls = coalesce($4, api_calls)
        WHERE id = $1 AND owner = $2 AND status = 'running' RETURNING id`,
      [this.runId, this.owner, this.leaseMs / 1000, apiCalls ?? null],
    );
    if ((rows as unknown[]).length === 1) return true;
    this.lostTo = new RunLeaseLost(this.runId);
    return false;
  }

  /** Stops renewing; the run (finished, held or still running) is left without an owner. */
  async end({ handOver = false } = {}): Promise<void> {
    clearInterval(this.timer);
    // Handed over: no heartbeat either, so any replica resumes it at once.
    await this.dataSource.query(
      `UPDATE sync_runs SET owner = NULL, lease_until = NULL
              ${handOver ? `, heartbeat_at = 'epoch'` : ''}
        WHERE id = $1 AND owner = $2`,
      [this.runId, this.owner],
    );
  }

  /** Stops renewing without touching the row (the database is away): the lease runs out. */
  abandon(): void {
    clearInterval(this.timer);
  }
}

/**
 * Claims of runs: a running run is free when nobody owns it and its heartbeat is older than a
 * lease (just started, handed over, or left by a version without leases), or when its owner's
 * lease ran out (its replica died or hangs). SYNC_RUN_LEASE is how long that takes.
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
   * live lease (or it is not running). Called for runs this replica started or was told to go
   * on with (approved), and for those `free()` listed: an unowned one is taken whatever its
   * heartbeat (the claim itself is atomic: of two replicas, one gets it).
   */
  async claim(runId: string): Promise<RunLease | undefined> {
    const owner = randomUUID();
    const [rows] = await this.dataSource.query(
      `UPDATE sync_runs SET owner = $2, lease_until = now() + make_interval(secs => $3),
              heartbeat_at = now()
        WHERE id = $1 AND status = 'running' AND (owner IS NULL OR lease_until < now())
        RETURNING id`,
      [runId, owner, this.leaseMs / 1000],
    );
    if ((rows as unknown[]).length !== 1) return undefined;
    return new RunLease(this.dataSource, runId, owner, this.leaseMs);
  }

  /** Running runs another replica may take over now. */
  async free(): Promise<{ id: string; heartbeatAt: Date }[]> {
    const rows: { id: string; heartbeat_at: Date }[] = await this.dataSource.query(
      `SELECT id, heartbeat_at FROM sync_runs
        WHERE status = 'running'
          AND (lease_until < now()
            OR (owner IS NULL AND heartbeat_at < now() - make_interval(secs => $1)))`,
      [this.leaseMs / 1000],
    );
    return rows.map((r) => ({ id: r.id, heartbeatAt: new Date(r.heartbeat_at) }));
  }
}
