import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  AppError,
  ConflictError,
  EnrolmentRequestState,
  HR_DEFAULT_PAGE_SIZE,
  InvalidInputError,
  ListEnrolmentRequestsRequest,
  ListTrainingRequest,
  ListTrainingResponse,
  MarkEnrolmentRequestRequest,
  NotFoundError,
  PendingEnrolmentRequest,
  StoreTrainingRequest,
  StoreTrainingResponse,
} from '@talentsync/contracts';
import { inCompany, readInCompany } from '../common/company-scope';
import { pageOf } from '../common/paging';
import { EmployeesService } from '../employees/employees.service';
import { EnrolmentRequestEntity } from './enrolment-request.entity';
import { TrainingRecordEntity } from './training-record.entity';
import {
  EmployeeTrainingView,
  EnrolDto,
  EnrolmentRequestView,
  toPendingEnrolment,
  TrainingRecordView,
} from './training.dto';

const PROGRESS_COLUMNS = [
  'course_name',
  'enrolled_at',
  'completion_status',
  'completion_percentage',
  'completed_at',
  'total_time_seconds',
];

/**
 * One statement, so a batch is all or nothing. A conflicting row is only rewritten when its
 * progress differs, which is what makes a replayed batch write nothing.
 */
const UPSERT_RECORDS = `
  INSERT INTO training_records (company_id, employee_id, course_id, ${PROGRESS_COLUMNS.join(', ')},
                                last_synced_at)
  SELECT $1, r."employeeId", r."courseId", r."courseName", r."enrolledAt", r."completionStatus",
         r."completionPercentage", r."completedAt", r."totalTimeSeconds", now()
  FROM jsonb_to_recordset($2::jsonb) AS r(
    "employeeId" uuid, "courseId" text, "courseName" text, "enrolledAt" timestamptz,
    "completionStatus" text, "completionPercentage" int, "completedAt" timestamptz,
    "totalTimeSeconds" int)
  ON CONFLICT (company_id, employee_id, course_id) DO UPDATE SET
    ${PROGRESS_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, last_synced_at = now()
  WHERE (${PROGRESS_COLUMNS.map((c) => `training_records.${c}`).join(', ')})
    IS DISTINCT FROM (${PROGRESS_COLUMNS.map((c) => `EXCLUDED.${c}`).join(', ')})
  RETURNING 1`;

/**
 * Training on the HR side: LMS progress, and enrolments made in HR for the orchestrator. Every
 * call runs in its company's transaction; another company's employee or request is NOT_FOUND.
 */
@Injectable()
export class TrainingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly employees: EmployeesService,
  ) {}

  /** hr.training.store (see the contract): writes only records that are new or changed. */
  async store(request: StoreTrainingRequest): Promise<StoreTrainingResponse> {
    refuseDuplicates(request);
    const { companyId } = request;
    return inCompany(this.dataSource, companyId, async (manager) => {
      const ids = request.employees.map((entry) => entry.employeeId);
      const known: { id: string }[] = await manager.query(
        'SELECT id FROM employees WHERE company_id = $1 AND id = ANY($2)',
        [companyId, ids],
      );
      const missing = ids.filter((id) => !known.some((row) => row.id === id));
      if (missing.length > 0) {
        throw new AppError('NOT_FOUND', `Unknown employee(s): ${missing.join(', ')}`, {
          status: 404,
          details: { employeeIds: missing },
        });
      }
      const rows = request.employees.flatMap(({ employeeId, records }) =>
        records.map((record) => ({ employeeId, ...record })),
      );
      if (rows.length === 0) return { written: 0, unchanged: 0 };
      const written: unknown[] = await manager.query(UPSERT_RECORDS, [
        companyId,
        JSON.stringify(rows),
      ]);
      return { written: written.length, unchanged: rows.length - written.length };
    });
  }

  /** hr.training.list: by employee, then course. */
  async list(request: ListTrainingRequest): Promise<ListTrainingResponse> {
    const { companyId } = request;
    const { page, pageSize, ...window } = pageOf(request);
    const [rows, total] = await readInCompany(this.dataSource, companyId, (manager) =>
      manager.findAndCount(TrainingRecordEntity, {
        where: request.employeeIds
          ? { companyId, employeeId: In(request.employeeIds) }
          : { companyId },
        order: { employeeId: 'ASC', courseId: 'ASC' },
        ...window,
      }),
    );
    return { items: rows.map(TrainingRecordView.of), total, page, pageSize };
  }

  /** GET /employees/:id/training: 404 for an unknown employee. */
  async forEmployee(companyId: string, employeeId: string): Promise<EmployeeTrainingView> {
    const [records, requests] = await readInCompany(this.dataSource, companyId, async (manager) => {
      await this.employees.find(manager, companyId, employeeId);
      // One connection: one query after the other.
      const found = await manager.find(TrainingRecordEntity, {
        where: { companyId, employeeId },
        order: { courseId: 'ASC' },
      });
      const asked = await manager.find(EnrolmentRequestEntity, {
        where: { companyId, employeeId },
        order: { requestedAt: 'DESC', id: 'ASC' },
      });
      return [found, asked] as const;
    });
    return {
      employeeId,
      records: records.map(TrainingRecordView.of),
      enrolmentRequests: requests.map(EnrolmentRequestView.of),
    };
  }

  /**
   * Enrolment from HR (two-way sync sends it to TalentLMS). Only for active employees not
   * already in the course; asking again while a request is pending answers that request.
   */
  async requestEnrolment(
    companyId: string,
    employeeId: string,
    enrol: EnrolDto,
  ): Promise<{ request: EnrolmentRequestView; created: boolean }> {
    return inCompany(this.dataSource, companyId, (manager) =>
      this.enrolIn(manager, companyId, employeeId, enrol),
    );
  }

  private async enrolIn(
    manager: EntityManager,
    companyId: string,
    employeeId: string,
    enrol: EnrolDto,
  ): Promise<{ request: EnrolmentRequestView; created: boolean }> {
    const employee = await this.employees.find(manager, companyId, employeeId);
    if (employee.status !== 'active') {
      throw new ConflictError(`Employee ${employeeId} is ${employee.status}: no new enrolments`);
    }
    const enrolled = await manager.existsBy(TrainingRecordEntity, {
      companyId,
      employeeId,
      courseId: enrol.courseId,
    });
    if (enrolled) {
      throw new ConflictError(
        `Employee ${employeeId} is already enrolled in course ${enrol.courseId}`,
      );
    }
    const now = new Date();
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO enrolment_requests
              (id, company_id, employee_id, course_id, course_name, status, requested_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6)
       ON CONFLICT (company_id, employee_id, course_id) WHERE status = 'pending' DO NOTHING
       RETURNING id`,
      [randomUUID(), companyId, employeeId, enrol.courseId, enrol.courseName ?? null, now],
    );
    const request = await manager.findOneByOrFail(EnrolmentRequestEntity, {
      companyId,
      employeeId,
      courseId: enrol.courseId,
      status: 'pending',
    });
    return { request: EnrolmentRequestView.of(request), created: inserted.length > 0 };
  }

  /** hr.training.enrolment-requests: pending, oldest first. */
  async pendingEnrolments(
    request: ListEnrolmentRequestsRequest,
  ): Promise<PendingEnrolmentRequest[]> {
    const { companyId } = request;
    const rows = await readInCompany(this.dataSource, companyId, (manager) =>
      manager.find(EnrolmentRequestEntity, {
        where: { companyId, status: 'pending' },
        order: { requestedAt: 'ASC', id: 'ASC' },
        take: request.limit ?? HR_DEFAULT_PAGE_SIZE,
      }),
    );
    return rows.map(toPendingEnrolment);
  }

  /** hr.training.enrolment-requests.mark (see the contract). */
  async markEnrolment(mark: MarkEnrolmentRequestRequest): Promise<EnrolmentRequestState> {
    return inCompany(this.dataSource, mark.companyId, async (manager) => {
      const row = await manager.findOne(EnrolmentRequestEntity, {
        where: { companyId: mark.companyId, id: mark.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row) throw new NotFoundError('Enrolment request', mark.id);
      if (row.status === 'pending') {
        Object.assign(row, {
          status: mark.outcome,
          reason: mark.reason ?? null,
          updatedAt: new Date(),
        });
        await manager.update(
          EnrolmentRequestEntity,
          { id: row.id },
          { status: row.status, reason: row.reason, updatedAt: row.updatedAt },
        );
      } else if (row.status !== mark.outcome) {
        throw new ConflictError(`Enrolment request ${mark.id} is already ${row.status}`, {
          status: row.status,
        });
      }
      return {
        id: row.id,
        status: row.status,
        reason: row.reason,
        updatedAt: row.updatedAt.toISOString(),
      };
    });
  }
}

/** A course twice for one employee, or an employee twice, would make the batch ambiguous. */
function refuseDuplicates(request: StoreTrainingRequest): void {
  const fields: Record<string, string[]> = {};
  const employees = new Set<string>();
  request.employees.forEach((entry, i) => {
    if (employees.has(entry.employeeId)) {
      fields[`employees.${i}.employeeId`] = ['employeeId appears more than once'];
    }
    employees.add(entry.employeeId);
    const courses = new Set<string>();
    entry.records.forEach((record, j) => {
      if (courses.has(record.courseId)) {
        fields[`employees.${i}.records.${j}.courseId`] = [
          'courseId appears more than once for this employee',
        ];
      }
      courses.add(record.courseId);
    });
  });
  if (Object.keys(fields).length > 0) {
    throw new InvalidInputError(`Invalid input: ${Object.keys(fields).join(', ')}`, { fields });
  }
}
