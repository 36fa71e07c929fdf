import { EmployeeDeletedEvent } from '../events/employee-deleted.event';
import { EmployeeHiredEvent } from '../events/employee-hired.event';
import { EmployeeTerminatedEvent } from '../events/employee-terminated.event';
import { EmployeeUpdatedEvent } from '../events/employee-updated.event';
import { SyncRunCompletedEvent } from '../events/sync-run-completed.event';
import { SyncRunFailedEvent } from '../events/sync-run-failed.event';
import { SyncRunStartedEvent } from '../events/sync-run-started.event';
import { SyncIntegrationAlertedEvent } from '../events/sync-integration-alerted.event';
import { CompanyDeletedEvent } from '../events/company-deleted.event';
import { CompanyPurgedEvent } from '../events/company-purged.event';
import {
  CompanyEvents,
  EmployeeEvents,
  EventType,
  IntegrationEvents,
  SyncRunEvents,
} from './subjects';
import { parseMessage, Parsed } from './validation';

/**
 * Every event subject with the message it carries: the one place a publisher (`EventPublisher`,
 * `OutboxWriter`) and a consumer (`DurableConsumer`) agree on. An event of another shape, or
 * on another subject, does not compile.
 */
export interface EventContracts {
  [EmployeeEvents.hired]: EmployeeHiredEvent;
  [EmployeeEvents.updated]: EmployeeUpdatedEvent;
  [EmployeeEvents.terminated]: EmployeeTerminatedEvent;
  [EmployeeEvents.deleted]: EmployeeDeletedEvent;
  [SyncRunEvents.started]: SyncRunStartedEvent;
  [SyncRunEvents.completed]: SyncRunCompletedEvent;
  [SyncRunEvents.failed]: SyncRunFailedEvent;
  [IntegrationEvents.alerted]: SyncIntegrationAlertedEvent;
  [CompanyEvents.deleted]: CompanyDeletedEvent;
  [CompanyEvents.purged]: CompanyPurgedEvent;
}

/** The event published on subject `T` (or on any of a union of subjects). */
export type EventOf<T extends EventType> = EventContracts[T];
/** Any event of the catalogue. */
export type AnyEvent = EventOf<EventType>;

/** Event type (= subject) -> the class that validates it. */
export const EventClasses: { [T in EventType]: new () => EventOf<T> } = {
  [EmployeeEvents.hired]: EmployeeHiredEvent,
  [EmployeeEvents.updated]: EmployeeUpdatedEvent,
  [EmployeeEvents.terminated]: EmployeeTerminatedEvent,
  [EmployeeEvents.deleted]: EmployeeDeletedEvent,
  [SyncRunEvents.started]: SyncRunStartedEvent,
  [SyncRunEvents.completed]: SyncRunCompletedEvent,
  [SyncRunEvents.failed]: SyncRunFailedEvent,
  [IntegrationEvents.alerted]: SyncIntegrationAlertedEvent,
  [CompanyEvents.deleted]: CompanyDeletedEvent,
  [CompanyEvents.purged]: CompanyPurgedEvent,
};

/** Validates any event by its `type`; unknown types are an error, not a pass. */
export function parseEvent(data: unknown): Parsed<AnyEvent> {
  const type = (data as { type?: unknown } | null)?.type;
  const cls: (new () => AnyEvent) | undefined =
    typeof type === 'string' ? EventClasses[type as EventType] : undefined;
  if (!cls) return { ok: false, errors: [`type: unknown event type ${JSON.stringify(type)}`] };
  return parseMessage(cls, data);
}
