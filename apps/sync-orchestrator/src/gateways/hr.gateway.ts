import type { EmployeeEventPayload, EmployeeRecord } from '@talentsync/contracts';
import type { EnrolmentRequest, HrTrainingRecord, HrWritePayload } from '@talentsync/sync-rules';

export interface CompanyContacts {
  name: string;
  ownerEmail: string;
  adminEmails: string[];
}

/** What the orchestrator needs from hr-service, over NATS request/reply. */
export abstract class HrGateway {
  /** Every employee; the SSN only with `includeSsn` (a plan that syncs it). */
  abstract listEmployees(options: HrReadOptions): Promise<EmployeeRecord[]>;
  abstract getEmployee(id: string, options: HrReadOptions): Promise<EmployeeRecord | null>;
  /** Create (idempotent by the source LMS user id) or update an employee from LMS data. */
  abstract upsertFromLms(
    write: HrWritePayload & { employeeId?: string },
  ): Promise<EmployeeEventPayload>;
  abstract listTraining(): Promise<HrTrainingRecord[]>;
  /** Stores the training of several people at once (all or nothing). */
  abstract storeTraining(entries: EmployeeTrainingEntry[]): Promise<void>;
  abstract pendingEnrolments(): Promise<EnrolmentRequest[]>;
  abstract markEnrolment(
    requestId: string,
    outcome: 'sent' | 'failed',
    reason?: string,
  ): Promise<void>;
}

export interface HrReadOptions {
  includeSsn: boolean;
}

export interface EmployeeTrainingEntry {
  employeeId: string;
  records: Omit<HrTrainingRecord, 'employeeId'>[];
}
