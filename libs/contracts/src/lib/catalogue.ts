import { EmployeeDeletedEvent } from '../events/employee-deleted.event';
import { EmployeeHiredEvent } from '../events/employee-hired.event';
import { EmployeeTerminatedEvent } from '../events/employee-terminated.event';
import { EmployeeUpdatedEvent } from '../events/employee-updated.event';
import { SyncRunCompletedEvent } from '../events/sync-run-completed.event';
import { SyncRunFailedEvent } from '../events/sync-run-failed.event';
import { SyncRunStartedEvent } from '../events/sync-run-started.event';
import type { EmployeeEvent, SyncRunEvent } from './events';
import { EmployeeEvents, EventType, SyncRunEvents } from './subjects';
import { parseMessage, Parsed } from './validation';

/** Event type (= subject) -> the class that validates it. */
export const EventClasses: Record<EventType, new () => EmployeeEvent | SyncRunEvent> = {
  [EmployeeEvents.hired]: EmployeeHiredEvent,
  [EmployeeEvents.updated]: EmployeeUpdatedEvent,
  [EmployeeEvents.terminated]: EmployeeTerminatedEvent,
  [EmployeeEvents.deleted]: EmployeeDeletedEvent,
  [SyncRunEvents.started]: SyncRunStartedEvent,
  [SyncRunEvents.completed]: SyncRunCompletedEvent,
  [SyncRunEvents.failed]: SyncRunFailedEvent,
};

/** Validates any event by its `type`; unknown types are an error, not a pass. */
export function parseEvent(data: unknown): Parsed<EmployeeEvent | SyncRunEvent> {
  const type = (data as { type?: unknown } | null)?.type;
  const cls = typeof type === 'string' ? EventClasses[type as EventType] : undefined;
  if (!cls) return { ok: false, errors: [`type: unknown event type ${JSON.stringify(type)}`] };
  return parseMessage(cls, data);
}
