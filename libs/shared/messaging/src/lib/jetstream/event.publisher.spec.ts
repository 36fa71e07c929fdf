import {
  EmployeeEvents,
  EventClasses,
  eventGroupFilter,
  SyncRunEvents,
  type EventOf,
  type SyncRunEventType,
} from '@talentsync/contracts';
import type { NatsConnection } from '../nats.connection';
import { EventPublisher } from './event.publisher';
import { DurableConsumer } from './durable-consumer';

describe(EventPublisher.name, () => {
  // Compile-time contract checks: `tsc` (the typecheck target) fails if any of these compile.
  it('takes only events of the catalogue, and consumers get the type of their subjects', () => {
    const sut = new EventPublisher({} as NatsConnection);
    const hired = new EventClasses[EmployeeEvents.hired]();
    const wrong = async () => {
      await sut.publish(hired);
      // @ts-expect-error an event type outside the catalogue
      await sut.publish({ ...hired, type: 'employee.promoted' });
      // @ts-expect-error an employee event carries `employee`, not `run`
      await sut.publish({ ...hired, employee: undefined, run: {} });
      const consumer = new DurableConsumer<EventOf<SyncRunEventType>>({} as NatsConnection, {
        stream: 'SYNC',
        durable: 'd',
        filterSubjects: [eventGroupFilter(SyncRunEvents)],
        deadLetter: async () => undefined,
        // @ts-expect-error a sync.run.* event has no `employee`
        handle: async (event) => void event.employee.id,
      });
      return consumer;
    };
    expect(typeof wrong).toBe('function');
  });
});
