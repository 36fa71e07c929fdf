import { IsInt, IsISO8601, IsString, IsUUID, Min } from 'class-validator';
import type { EventType } from './subjects';

/**
 * The envelope every event shares (SPEC section 7). The payload sits under `employee` or `run`.
 * `eventId` doubles as the JetStream `Nats-Msg-Id`, so a re-published event is dropped by the
 * server inside its duplicate window and by consumers after it.
 */
export abstract class EventEnvelope {
  @IsUUID() eventId: string;
  @IsString() type: EventType;
  /** Whose event it is (SPEC 9); the wire subject carries it too (`eventSubject`). */
  @IsUUID() companyId: string;
  @IsISO8601({ strict: true }) occurredAt: string;
  /** Grows by one with each change of the same employee (or run). */
  @IsInt() @Min(1) version: number;
}
