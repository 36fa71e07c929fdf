import { MAX_FAILURES_IN_EVENT, type SyncRunEventPayload } from '@talentsync/contracts';
import type { SyncRun } from './sync-run.entity';
import type { SyncRunItem } from './sync-run-item.entity';

/** A run as SPEC section 7 shows it. */
export function runView(run: SyncRun) {
  return {
    id: run.id,
    trigger: run.trigger,
    direction: run.direction,
    status: run.status,
    employeeId: run.employeeId ?? undefined,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    counts: run.counts,
    apiCalls: run.apiCalls,
    error: run.error ?? undefined,
    attributeNotes: run.attributeNotes,
    brake: run.brake ?? undefined,
  };
}

export function itemView(item: SyncRunItem) {
  return {
    action: item.action,
    side: item.side,
    status: item.status,
    person: item.person,
    employeeId: item.employeeId ?? undefined,
    lmsUserId: item.lmsUserId ?? undefined,
    reason: item.reason,
    changes: item.changes,
    error: item.error ?? undefined,
  };
}

/** A run as `sync.run.*` events and `orchestrator.runs.get` carry it: the summary, the first failures. */
export function runSummary(
  run: SyncRun,
  failures: Pick<SyncRunItem, 'action' | 'person' | 'reason' | 'error'>[] = [],
): SyncRunEventPayload {
  return {
    id: run.id,
    trigger: run.trigger,
    direction: run.direction,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt ? run.finishedAt.toISOString() : null,
    counts: run.counts,
    apiCalls: run.apiCalls,
    ...(run.error ? { error: run.error.slice(0, 1000) } : {}),
    ...(failures.length > 0
      ? {
          failures: failures.slice(0, MAX_FAILURES_IN_EVENT).map((f) => ({
            person: f.person.slice(0, 300),
            action: f.action,
            reason: (f.error ?? f.reason).slice(0, 1000),
          })),
        }
      : {}),
  };
}
