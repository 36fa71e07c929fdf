import { randomUUID } from 'node:crypto';
import { CompanyEvents, EventClasses, EventOf } from '@talentsync/contracts';

type CompanyEventType = (typeof CompanyEvents)[keyof typeof CompanyEvents];

function companyEvent<T extends CompanyEventType>(type: T, companyId: string): EventOf<T> {
  const EventClass = EventClasses[type] as new () => EventOf<T>;
  return Object.assign(new EventClass(), {
    eventId: randomUUID(),
    type,
    occurredAt: new Date().toISOString(),
    version: 1,
    companyId,
  });
}

/** `company.deleted`: gone for every API now; its rows go at `purgeAfter`. */
export function companyDeleted(companyId: string, purgeAfter: Date) {
  return Object.assign(companyEvent(CompanyEvents.deleted, companyId), {
    purgeAfter: purgeAfter.toISOString(),
  });
}

/** `company.purged`: every row of the company is gone; consumers delete theirs. */
export function companyPurged(companyId: string) {
  return companyEvent(CompanyEvents.purged, companyId);
}
