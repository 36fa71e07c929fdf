import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, Max, Min } from 'class-validator';
import {
  BaseEnv,
  CompanyTokenEnv,
  DatabaseEnv,
  IsDuration,
  HttpEnv,
  NatsEnv,
  parseDuration,
  RpcServerEnv,
  SecretsEnv,
  toBoolean,
  toInt,
} from '@talentsync/shared/config';
import type { ScheduleSettings } from '@talentsync/sync-rules';

/** sync-orchestrator settings; see the env table in apps/sync-orchestrator/README.md. */
export class SyncEnv extends SecretsEnv(
  RpcServerEnv(DatabaseEnv(NatsEnv(CompanyTokenEnv(HttpEnv(BaseEnv, 3003))), 'sync')),
) {
  /** First automatic run after activation (SPEC section 6). */
  @IsDuration()
  SYNC_FIRST_DELAY = '12h';

  /** Then one every SYNC_INTERVAL. */
  @IsDuration()
  SYNC_INTERVAL = '24h';

  /**
   * Each company's first run is due at activation + SYNC_FIRST_DELAY + a spread in
   * [0, SYNC_SPREAD) derived from its id: companies activated together do not start together.
   */
  @IsDuration()
  SYNC_SPREAD = '10m';

  /**
   * Runs executing at once in CPU slots across the deployment (every replica counts the running
   * runs in the database); one per company. Runs waiting for room start oldest due first. 4,
   * measured on the 2-core bench machine (`npm run bench -- --companies --quick`, 100
   * companies, 10 slow portals, bench/README.md): a few healthy runs fill the machine, and
   * their writes slow the pushes (8 slots: probe push p99 1.9 s). Before slow portals' runs
   * left their CPU slot (SYNC_MAX_WAITING_RUNS), 4 slots pushed the last quick initial sync
   * from 139 s to 206 s; with it, 4 CPU slots + 6 waiting ended it at 99 s (8: 99 s) with
   * probe push p99 0.5 s.
   */
  SYNC_MAX_CONCURRENT_RUNS = 4;

  /**
   * Runs that wait on their portal (most of their recent TalentLMS requests slow or failing, or
   * waiting for the call budget: runs/run-slot-rules.ts) executing at once across the
   * deployment beyond SYNC_MAX_CONCURRENT_RUNS: such a run moves out of its CPU slot into this
   * allowance when there is room (or starts in it, when its portal is known to wait), so runs
   * of slow portals (~36 s each) do not keep healthy runs from starting. 6: each holds up to 8 requests in
   * lms-connector (RPC_CONCURRENCY_PER_COMPANY), whose 64 at once keep 16 for everyone else.
   * 0: runs never move (SYNC_MAX_CONCURRENT_RUNS bounds them all).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1000)
  SYNC_MAX_WAITING_RUNS = 6;

  /** Share of linked LMS users a run may deactivate before it waits for approval. */
  @Transform(({ value }) =>
    typeof value === 'string' && value.trim() !== '' ? Number(value) : value,
  )
  @IsNumber({}, { message: 'SYNC_DEACTIVATION_LIMIT must be a number between 0 and 1' })
  @Min(0)
  @Max(1)
  SYNC_DEACTIVATION_LIMIT = 0.2;

  /**
   * Deactivations a run may make before it waits for approval, whatever their share: a run is
   * held only over both this and SYNC_DEACTIVATION_LIMIT.
   */
  @Transform(toInt)
  @IsInt({ message: 'SYNC_DEACTIVATION_MIN must be a whole number of people (0 or more)' })
  @Min(0)
  SYNC_DEACTIVATION_MIN = 10;

  /** Plain http:// portal URLs (the local simulator, tests); TalentLMS itself is HTTPS only. */
  @Transform(toBoolean)
  @IsBoolean()
  LMS_ALLOW_INSECURE_HTTP = false;

  /** How often the scheduler looks for a due run. */
  @IsDuration()
  SCHEDULER_TICK = '1s';

  /** Writes applied at the same time during a run (TalentLMS's budget is guarded by lms-connector). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  SYNC_APPLY_CONCURRENCY = 8;

  /**
   * Run items yield to pushes: the items of this replica's runs in CPU slots, together, may be
   * at most a limit that halves while the replica's pushes take longer than PUSH_TARGET_WORK
   * (their median) and grows back by one a second, between one item per CPU slot and
   * SYNC_APPLY_CONCURRENCY x SYNC_MAX_CONCURRENT_RUNS (engine/run-item-gate-rules.ts). Runs
   * waiting on a slow portal are not gated: their items wait on the portal, not the machine.
   * false: every run applies SYNC_APPLY_CONCURRENCY items at once, whatever pushes do.
   */
  @Transform(toBoolean)
  @IsBoolean()
  RUN_ITEMS_YIELD = true;

  /**
   * The median time a push's work (claim to recorded: reads, the TalentLMS write, the record)
   * may take before runs yield to pushes (RUN_ITEMS_YIELD).
   */
  @IsDuration()
  PUSH_TARGET_WORK = '100ms';

  /** Scheduled runs failed in a row after which the owner and admins get one e-mail; 0: never. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1000)
  SYNC_ALERT_AFTER_FAILURES = 3;

  /**
   * How long one lms.* request may take before it counts as lost (lms-connector died with it):
   * keep it above lms-connector's LMS_REQUEST_DEADLINE, which covers its budget waits and retries.
   */
  @IsDuration()
  LMS_REPLY_TIMEOUT = '60s';

  /**
   * How long a full run's write may wait for TalentLMS's budget to have room again (the hour
   * resets) instead of failing: with 1h a run always paces itself through a small plan (10,000
   * people at 2,000 calls an hour take five hours, nobody failed). An instant push refused
   * for the same reason is redelivered when there is room, within this too. 0s: fail those
   * people now, the next run repairs them.
   */
  @IsDuration()
  SYNC_BUDGET_WAIT = '1h';

  /**
   * A run's lease: the replica applying it renews it every third of this; when it is not
   * renewed (the replica died or hangs) another replica takes the run over.
   */
  @IsDuration()
  SYNC_RUN_LEASE = '6s';

  /** Attempts of one queued push before it is given up and shown as failed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  PUSH_MAX_ATTEMPTS = 20;

  /**
   * Employee events recorded in the push queue at once, each its own short transaction: the
   * durable's max_ack_pending, so deployment-wide (replicas share it). Queueing is idempotent
   * and the queue orders each employee's versions, so only one employee's events are taken one
   * after another (in stream order, within a replica). One at a time, a burst of hires (1,000
   * companies activated in a minute) waited up to 11.6 s to be queued; see bench/README.md.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(256)
  PUSH_ENQUEUE_CONCURRENCY = 32;

  /**
   * How long JetStream waits for an event's ack (it is only queued, see PUSH_LEASE) before
   * giving it to another replica: the replica on it says so every third of this.
   */
  @IsDuration()
  PUSH_ACK_WAIT = '5s';

  /** Longest wait between two attempts of a push (they double from 250 ms up to this). */
  @IsDuration()
  PUSH_RETRY_MAX_DELAY = '30s';

  /**
   * Pushes this replica works on at once (the queue's workers; replicas share the queue). They
   * wait on TalentLMS, not the CPU: 16 leave the others 8 while two companies whose portals
   * turn slow or failing take PUSH_MAX_IN_FLIGHT_PER_COMPANY each before they are held up.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  PUSH_CONCURRENCY = 16;

  /**
   * Pushes of one company in flight at once, deployment-wide, while its portal answers: a
   * company's steady hires (20 a second in the bench) need about 4 pushes at a time, and a
   * portal turning slow holds at most this many workers until PUSH_SLOW_AFTER marks it held
   * up (then one); see PUSH_CONCURRENCY.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  PUSH_MAX_IN_FLIGHT_PER_COMPANY = 4;

  /**
   * A push in flight longer than this, and than 4 times a typical push now, marks its company
   * held up (a slow portal), as does a push of it that failed and waits for its next attempt: a
   * held-up company has one push in flight at a time, and held-up companies together at most
   * PUSH_HELD_UP_SHARE of the workers. A typical push is the median of the replica's last 100
   * push times (slowAfterMs): on a CPU-loaded machine every push takes longer, and this alone
   * would hold every company up.
   */
  @IsDuration()
  PUSH_SLOW_AFTER = '1s';

  /**
   * Percent of this replica's PUSH_CONCURRENCY workers that held-up companies may hold
   * together (at least one; with two workers or more, at least one is always kept for the
   * companies whose portal answers).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  PUSH_HELD_UP_SHARE = 50;

  /**
   * A claimed push's lease: the worker renews it every third of this; a push whose lease ran
   * out (its replica died) is claimed again by any replica.
   */
  @IsDuration()
  PUSH_LEASE = '6s';

  /** How often an idle worker looks for a push (an event this replica queued wakes it at once). */
  @IsDuration()
  PUSH_POLL = '500ms';

  get firstDelayMs(): number {
    return parseDuration(this.SYNC_FIRST_DELAY);
  }

  get intervalMs(): number {
    return parseDuration(this.SYNC_INTERVAL);
  }

  /** The schedule rule's settings (`firstScheduledRun`, `nextScheduledRun`). */
  get schedule(): ScheduleSettings {
    return {
      firstDelayMs: this.firstDelayMs,
      intervalMs: this.intervalMs,
      spreadMs: parseDuration(this.SYNC_SPREAD),
    };
  }
}
