import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import {
  EmployeeRecord,
  GetEmployeeRequest,
  ListEmployeesRequest,
  ListEmployeesResponse,
  NotFoundError,
} from '@talentsync/contracts';
import { readInCompany } from '../common/company-scope';
import { pageOf } from '../common/paging';
import { toEmployeeReply } from './employee-data';
import { Employee, employeeColumns } from './employee.entity';

/**
 * `hr.employees.list|get` for the sync orchestrator: employees as EmployeeRecords, read in the
 * request's company, the SSN read (and opened) only for a caller that asks for it.
 */
@Injectable()
export class EmployeeRecordsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every status, by id. */
  async list(request: ListEmployeesRequest): Promise<ListEmployeesResponse> {
    const { companyId } = request;
    const { page, pageSize, ...window } = pageOf(request);
    const [rows, total] = await readInCompany(this.dataSource, companyId, (manager) =>
      manager.findAndCount(Employee, {
        where: request.ids ? { companyId, id: In(request.ids) } : { companyId },
        select: employeeColumns(this.dataSource, request),
        order: { id: 'ASC' },
        ...window,
      }),
    );
    return { items: rows.map((row) => toEmployeeReply(row, request)), total, page, pageSize };
  }

  /** One employee; NOT_FOUND when it is not the company's. */
  async get(request: GetEmployeeRequest): Promise<EmployeeRecord> {
    const { companyId, id } = request;
    const employee = await readInCompany(this.dataSource, companyId, (manager) =>
      manager.findOne(Employee, {
        where: { companyId, id },
        select: employeeColumns(this.dataSource, request),
      }),
    );
    if (!employee) throw new NotFoundError('Employee', id);
    return toEmployeeReply(employee, request);
  }
}
