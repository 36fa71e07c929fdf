import type { EmployeeRecord } from '@talentsync/contracts';
import type { EnrolmentRequest, HrTrainingRecord, HrWritePayload } from '@talentsync/sync-rules';

export interface CompanyContacts {
  name: string;
  ownerEmail: string;
  adminEmails: string[];
}

/** What the orchestrator needs from hr-service, over NATS request/reply. */
export abstract class HrGateway {
  abstract listEmployees(): Promise<EmployeeRecord[]>;
  abstract getEmployee(id: string): Promise<EmployeeRecord | null>;
  /** Create (idempotent by the source LMS user id) or update an employee from LMS data. */
  abstract upsertFromLms(write: HrWritePayload & { employeeId?: string }): Promise<EmployeeRecord>;
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

export interface EmployeeTrainingEntry {
  employeeId: string;
  records: Omit<HrTrainingRecord, 'employeeId'>[];
}
