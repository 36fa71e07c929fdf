/**
 * Every Prometheus metric the services export, by name, with its labels: the contract SREs'
 * alert rules (deploy/prometheus/alerts.yml) and dashboard (deploy/grafana/talentsync.json)
 * are written against, checked by their tests. A service registers a metric by its name here,
 * never by a literal. Low cardinality: the one per-company series is the last successful run.
 * Histograms add `_bucket`, `_sum` and `_count` as Prometheus does.
 */
export const Metrics = {
  // Every service (libs/shared/http)
  httpRequestDuration: {
    name: 'http_request_duration_seconds',
    labels: ['method', 'route', 'status'],
  },
  serviceReady: { name: 'service_ready', labels: [] },

  // sync-orchestrator: runs
  syncRunsStarted: { name: 'sync_runs_started_total', labels: ['trigger', 'direction'] },
  syncRunsFinished: {
    name: 'sync_runs_finished_total',
    labels: ['trigger', 'direction', 'status'],
  },
  syncRunDuration: { name: 'sync_run_duration_seconds', labels: ['trigger', 'status'] },
  syncRunItems: { name: 'sync_run_items_total', labels: ['action', 'outcome'] },
  syncRunsAwaitingApproval: { name: 'sync_runs_awaiting_approval', labels: [] },
  /**
   * The one per-company series, exported only for companies expected to run (integration active
   * with automatic sync on; a paused one too): Unix time the last run succeeded since the
   * current activation, else the activation time. So "no successful sync for 26 h while
   * automatic sync is on" is `time() - max by (company) (...) > 26 * 3600`, and a company that
   * never succeeded alerts 26 h after its activation.
   */
  syncLastSuccess: { name: 'sync_last_success_timestamp_seconds', labels: ['company'] },
  /** Integrations active with automatic sync on (the companies the series above covers). */
  syncAutomaticIntegrations: { name: 'sync_automatic_integrations', labels: [] },

  /** Integrations paused until a person fixes their settings (a refused key, API off...). */
  syncPausedIntegrations: { name: 'sync_paused_integrations', labels: [] },

  /**
   * Run items (a run's writes) the replica's runs in CPU slots may have in flight together
   * now: lowered while its pushes are slow (RUN_ITEMS_YIELD), the full
   * SYNC_APPLY_CONCURRENCY x SYNC_MAX_CONCURRENT_RUNS otherwise.
   */
  syncRunItemLimit: { name: 'sync_run_item_limit', labels: [] },

  // sync-orchestrator: instant pushes
  pushLatency: { name: 'push_latency_seconds', labels: ['outcome'] },
  pushes: { name: 'pushes_total', labels: ['outcome'] },
  /**
   * Where a push's time goes, one observation per step it reached (push/push-steps.ts names the
   * steps: its DB transactions, the hr and lms reads, the plan, the version guard, the lms write,
   * the records); `db_pool` is its time waiting for a pooled DB connection, inside the others.
   */
  syncPushStep: { name: 'sync_push_step_seconds', labels: ['step'] },
  /** Time a DB query waited for a connection of the service's pool (all of its work). */
  dbPoolWait: { name: 'db_pool_wait_seconds', labels: [] },
  /**
   * Pushes waiting in the push queue, by `state`: `queued` (not tried yet), `in_flight` (a
   * worker holds its lease) or `retrying` (tried, waiting for its next attempt or for its
   * run-out lease to be claimed again). Every state is exported, 0 included.
   */
  pushQueuePushes: { name: 'push_queue_pushes', labels: ['state'] },
  /** Age of the oldest push not done yet, whatever its state; 0 when the queue is empty. */
  pushQueueOldestAge: { name: 'push_queue_oldest_age_seconds', labels: [] },

  /**
   * Every NATS request a service answers (libs/shared/messaging NatsRpcTransport), by its
   * subject pattern: `stage` `queued` (waiting for a turn of its request limiter), `queued_urgent`
   * (the same for a request made inside a push: the limiter's urgent lane) or `handled`.
   */
  rpcRequestDuration: { name: 'rpc_request_duration_seconds', labels: ['pattern', 'stage'] },

  // Every JetStream consumer (libs/shared/messaging)
  consumerPending: { name: 'jetstream_consumer_pending_messages', labels: ['stream', 'durable'] },
  consumerAckPending: {
    name: 'jetstream_consumer_ack_pending_messages',
    labels: ['stream', 'durable'],
  },
  consumerRedelivered: {
    name: 'jetstream_consumer_redelivered_messages',
    labels: ['stream', 'durable'],
  },
  consumerOldestPendingAge: {
    name: 'jetstream_consumer_oldest_pending_age_seconds',
    labels: ['stream', 'durable'],
  },
  deadLetters: { name: 'dead_letters_total', labels: ['subject', 'reason'] },

  // Every service with an outbox (libs/shared/messaging)
  outboxPublished: { name: 'outbox_published_total', labels: [] },
  outboxPublishFailures: { name: 'outbox_publish_failures_total', labels: [] },
  outboxUnsent: { name: 'outbox_unsent_rows', labels: ['service'] },
  outboxOldestUnsentAge: { name: 'outbox_oldest_unsent_age_seconds', labels: ['service'] },

  // lms-connector
  talentlmsCalls: { name: 'talentlms_calls_total', labels: ['endpoint', 'outcome'] },
  talentlmsCallDuration: { name: 'talentlms_call_duration_seconds', labels: ['endpoint'] },
  talentlmsBudgetWait: { name: 'talentlms_budget_wait_seconds', labels: [] },
  talentlmsCallsRefused: { name: 'talentlms_calls_refused_total', labels: ['reason'] },
  /** lms.* requests carrying a portal key sealed for another company than they name. */
  lmsForgedRequests: { name: 'lms_forged_requests_total', labels: ['subject'] },
  /** Calls left in the current plan window, summed over portals. */
  talentlmsBudgetRemaining: { name: 'talentlms_budget_remaining_calls', labels: [] },
  /** Portals with no call left in their current window. */
  talentlmsBudgetExhaustedPortals: { name: 'talentlms_budget_exhausted_portals', labels: [] },
  /** Portals per circuit state (closed, open, half-open). */
  talentlmsCircuitPortals: { name: 'talentlms_circuit_portals', labels: ['state'] },

  // notifier
  notificationsSent: { name: 'notifications_sent_total', labels: [] },
  notificationsFailed: { name: 'notifications_failed_total', labels: [] },
  notificationAttemptFailures: { name: 'notification_attempt_failures_total', labels: [] },
} as const satisfies Record<string, { name: string; labels: readonly string[] }>;

export type MetricKey = keyof typeof Metrics;
