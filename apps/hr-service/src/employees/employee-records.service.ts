import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  companyNotFound,
  EmployeeRecord,
  GetEmployeeRequest,
  isCompanyId,
  ListEmployeesRequest,
  ListEmployeesResponse,
} from '@talentsync/contracts';
import { preparedQuery } from '@talentsync/shared/database';
import { pageOf } from '../common/paging';
import { EmployeeReplyRow, toEmployeeReply } from './employee-data';
import { employeeOf, GET_EMPLOYEE, LIST_EMPLOYEES, pageOfRows, ReadRow } from './employee-reads';
import { sealedSsn } from './ssn-seal';

/**
 * `hr.employees.list|get` for the sync orchestrator: employees as EmployeeRecords, read in the
 * request's company (RLS), the SSN read (and opened) only for a caller that asks for it. One
 * statement per request reads the company's liveness with the employees (employee-reads): a
 * deleted company is NOT_FOUND, as readInCompany answers.
 */
@Injectable()
export class EmployeeRecordsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every status, by id. */
  async list(request: ListEmployeesRequest): Promise<ListEmployeesResponse> {
    const { companyId, ids } = request;
    const includeSsn = request.includeSsn === true;
    const { page, pageSize, skip, take } = pageOf(request);
    const values = [companyId, take, skip, ids ?? null, includeSsn];
    const rows = await this.read(companyId, LIST_EMPLOYEES, values);
    const { employees, total } = pageOfRows(rows, companyId);
    return { items: employees.map((row) => reply(row, includeSsn)), total, page, pageSize };
  }

  /** One employee; NOT_FOUND when it is not the company's. */
  async get(request: GetEmployeeRequest): Promise<EmployeeRecord> {
    const { companyId, id } = request;
    const includeSsn = request.includeSsn === true;
    const rows = await this.read(companyId, GET_EMPLOYEE, [companyId, id, includeSsn]);
    return reply(employeeOf(rows, companyId, id), includeSsn);
  }

  /** One prepared statement, scoped to the company by the function it calls (employee-reads). */
  private async read(companyId: string, text: string, values: unknown[]): Promise<ReadRow[]> {
    // An id that is no company's: NOT_FOUND, as for a well-formed unknown one.
    if (!isCompanyId(companyId)) throw companyNotFound(companyId);
    return preparedQuery<ReadRow[]>(this.dataSource, text, values);
  }
}

/** The reply, the SSN opened only when it was read (it is sealed at rest). */
function reply(row: EmployeeReplyRow, includeSsn: boolean): EmployeeRecord {
  const employee = includeSsn ? { ...row, ssn: sealedSsn.from(row.ssn) as string | null } : row;
  return toEmployeeReply(employee, { includeSsn });
}
