import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { EmployeeEventPayload } from './employee';
import { EventEnvelope } from './envelope';
import { SyncRunEventPayload } from './sync-run';
import type { EmployeeEventType, SyncRunEventType } from './subjects';

/** Base of the four `employee.*` events. */
export abstract class EmployeeEvent extends EventEnvelope {
  declare type: EmployeeEventType;

  @IsObject()
  @ValidateNested()
  @Type(() => EmployeeEventPayload)
  employee: EmployeeEventPayload;

  /** Only on `employee.updated`. */
  changedFields?: string[];
}

/** Base of the three `sync.run.*` events. */
export abstract class SyncRunEvent extends EventEnvelope {
  declare type: SyncRunEventType;

  @IsObject()
  @ValidateNested()
  @Type(() => SyncRunEventPayload)
  run: SyncRunEventPayload;
}
