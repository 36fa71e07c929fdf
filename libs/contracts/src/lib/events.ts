import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { EmployeeEventPayload } from './employee';
import { EventEnvelope } from './envelope';
import { IntegrationAlertPayload } from './integration-alert';
import { SyncRunEventPayload } from './sync-run';
import type {
  CompanyEventType,
  EmployeeEventType,
  IntegrationEventType,
  SyncRunEventType,
} from './subjects';

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

/** Base of the `sync.integration.*` events. */
export abstract class IntegrationEvent extends EventEnvelope {
  declare type: IntegrationEventType;

  @IsObject()
  @ValidateNested()
  @Type(() => IntegrationAlertPayload)
  alert: IntegrationAlertPayload;
}

/** Base of the `company.*` events: the envelope's `companyId` says which. */
export abstract class CompanyEvent extends EventEnvelope {
  declare type: CompanyEventType;
}
