import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  EmployeeRecord,
  GetEmployeeRequest,
  HrRequests,
  ListEmployeesRequest,
  ListEmployeesResponse,
  UpsertEmployeeFromLmsResponse,
} from '@talentsync/contracts';
import { UpsertFromLmsPayload } from './employees.dto';
import { EmployeeRecordsService } from './employee-records.service';
import { EmployeesService } from './employees.service';

/**
 * `hr.employees.*` for the sync orchestrator: the SSN in clear only where it asks for it. Each
 * request names its company; an employee of another company is NOT_FOUND.
 */
@Controller()
export class EmployeesConsumer {
  constructor(
    private readonly employees: EmployeesService,
    private readonly records: EmployeeRecordsService,
  ) {}

  @MessagePattern(HrRequests.listEmployees)
  async list(@Payload() request: ListEmployeesRequest): Promise<ListEmployeesResponse> {
    // A page larger than one NATS message is answered REPLY_TOO_LARGE by the transport.
    return this.records.list(request);
  }

  @MessagePattern(HrRequests.getEmployee)
  async get(@Payload() request: GetEmployeeRequest): Promise<EmployeeRecord> {
    return this.records.get(request);
  }

  @MessagePattern(HrRequests.upsertFromLms)
  upsertFromLms(@Payload() request: UpsertFromLmsPayload): Promise<UpsertEmployeeFromLmsResponse> {
    return this.employees.upsertFromLms(request);
  }
}
