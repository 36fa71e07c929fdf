import type { EmployeeEventPayload, EmployeeRecord } from '@talentsync/contracts';
import type { EnrolmentRequest, HrTrainingRecord, HrWritePayload } from '@talentsync/sync-rules';

/**
 * What the orchestrator needs from hr-service, over NATS request/reply. Each method acts in
 * one company (the first argument, sent as the request's `companyId`): hr-service answers only
 * with that company's employees.
 */
export abstract class HrGateway {
  /** Every employee; the SSN only with `includeSsn` (a plan that syncs it). */
  abstract listEmployees(companyId: string, options: HrReadOptions): Promise<EmployeeRecord[]>;
  abstract getEmployee(
    companyId: string,
    id: string,
    options: HrReadOptions,
  ): Promise<EmployeeRecord | null>;
  /** Create (idempotent by the source LMS user id) or update an employee from LMS data. */
  abstract upsertFromLms(
    companyId: string,
    write: HrWritePayload & { employeeId?: string },
  ): Promise<EmployeeEventPayload>;
  abstract listTraining(companyId: string): Promise<HrTrainingRecord[]>;
  /** Stores the training of several people at once (all or nothing). */
  abstract storeTraining(companyId: string, entries: EmployeeTrainingEntry[]): Promise<void>;
  abstract pendingEnrolments(companyId: string): Promise<EnrolmentRequest[]>;
  abstract markEnrolment(
    companyId: string,
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
