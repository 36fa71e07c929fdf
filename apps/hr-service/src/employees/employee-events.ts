import { randomUUID } from 'node:crypto';
import {
  EmployeeDeletedEvent,
  EmployeeEvent,
  EmployeeEvents,
  EmployeeEventType,
  EmployeeHiredEvent,
  EmployeeTerminatedEvent,
  EmployeeUpdatedEvent,
} from '@talentsync/contracts';
import type { Employee } from './employee.entity';
import { SyncedField, toEventPayload } from './employee-data';

const classes: Record<EmployeeEventType, new () => EmployeeEvent> = {
  [EmployeeEvents.hired]: EmployeeHiredEvent,
  [EmployeeEvents.updated]: EmployeeUpdatedEvent,
  [EmployeeEvents.terminated]: EmployeeTerminatedEvent,
  [EmployeeEvents.deleted]: EmployeeDeletedEvent,
};

/**
 * The event for a change already applied to `employee` (its `version` already bumped).
 * `changedFields` only on employee.updated: names, never values.
 */
export function employeeEvent(
  type: EmployeeEventType,
  employee: Employee,
  changedFields?: SyncedField[],
): EmployeeEvent {
  return Object.assign(new classes[type](), {
    eventId: randomUUID(),
    type,
    occurredAt: new Date().toISOString(),
    version: employee.version,
    employee: toEventPayload(employee),
    ...(type === EmployeeEvents.updated ? { changedFields: [...(changedFields ?? [])] } : {}),
  });
}
