import { randomUUID } from 'node:crypto';
import { EmployeeEvents, EmployeeEventType, EventClasses, EventOf } from '@talentsync/contracts';
import type { Employee } from './employee.entity';
import { SyncedField, toEventPayload } from './employee-data';

/**
 * The event for a change already applied to `employee` (its `version` already bumped).
 * `changedFields` only on employee.updated: names, never values. The publisher derives the
 * subject (`employee.<companyId>.<event>`) from the type and the company.
 */
export function employeeEvent<T extends EmployeeEventType>(
  type: T,
  employee: Employee,
  changedFields?: SyncedField[],
): EventOf<T> {
  const EventClass: new () => EventOf<EmployeeEventType> = EventClasses[type];
  return Object.assign(new EventClass() as EventOf<T>, {
    eventId: randomUUID(),
    type,
    occurredAt: new Date().toISOString(),
    version: employee.version,
    companyId: employee.companyId,
    employee: toEventPayload(employee),
    ...(type === EmployeeEvents.updated ? { changedFields: [...(changedFields ?? [])] } : {}),
  });
}
