import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CompanyParams } from '@talentsync/shared/http';
import {
  EmployeeIdParams,
  EmployeePage,
  EmployeeView,
  HireEmployeeDto,
  ListEmployeesQuery,
  RehireEmployeeDto,
  TerminateEmployeeDto,
  UpdateEmployeeDto,
} from './employees.dto';
import { EmployeesService } from './employees.service';

const single = (employee: Parameters<typeof EmployeeView.of>[0]) =>
  EmployeeView.of(employee, 'masked');

@ApiTags('employees')
@ApiBearerAuth()
@Controller('companies/:companyId/employees')
export class EmployeesController {
  constructor(private readonly employees: EmployeesService) {}

  /** Hire: publishes employee.hired. 409 when a non-deleted employee has the e-mail. */
  @Post()
  @ApiCreatedResponse({ type: EmployeeView })
  @ApiConflictResponse({ description: 'The e-mail belongs to another employee' })
  async hire(
    @Param() { companyId }: CompanyParams,
    @Body() body: HireEmployeeDto,
  ): Promise<EmployeeView> {
    return single(await this.employees.hire(companyId, body));
  }

  /** By last name; the SSN is never in a list. */
  @Get()
  @ApiOkResponse({ type: EmployeePage })
  async list(
    @Param() { companyId }: CompanyParams,
    @Query() query: ListEmployeesQuery,
  ): Promise<EmployeePage> {
    const [rows, total] = await this.employees.list(companyId, query);
    return {
      items: rows.map((row) => EmployeeView.of(row, 'omitted')),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  @Get(':id')
  @ApiOkResponse({ type: EmployeeView })
  @ApiNotFoundResponse()
  async get(@Param() { companyId, id }: EmployeeIdParams): Promise<EmployeeView> {
    return single(await this.employees.get(companyId, id));
  }

  /** Publishes employee.updated naming the changed fields; a change to nothing publishes nothing. */
  @Patch(':id')
  @ApiOkResponse({ type: EmployeeView })
  @ApiConflictResponse({ description: 'Deleted employee, or the e-mail is taken' })
  async update(
    @Param() { companyId, id }: EmployeeIdParams,
    @Body() body: UpdateEmployeeDto,
  ): Promise<EmployeeView> {
    return single(await this.employees.update(companyId, id, body));
  }

  /** Today or earlier: employee.terminated now; a later date waits for that day. */
  @Post(':id/terminate')
  @HttpCode(200)
  @ApiOkResponse({ type: EmployeeView })
  @ApiConflictResponse({ description: 'Already terminated or deleted' })
  async terminate(
    @Param() { companyId, id }: EmployeeIdParams,
    @Body() body: TerminateEmployeeDto,
  ): Promise<EmployeeView> {
    return single(await this.employees.terminate(companyId, id, body.terminationDate));
  }

  /** Cancels a termination that has not taken effect yet. */
  @Delete(':id/termination')
  @ApiOkResponse({ type: EmployeeView })
  @ApiConflictResponse({ description: 'No termination still to come' })
  async cancelTermination(@Param() { companyId, id }: EmployeeIdParams): Promise<EmployeeView> {
    return single(await this.employees.cancelTermination(companyId, id));
  }

  /** A terminated employee is active again: employee.updated (changedFields ["hireDate"]). */
  @Post(':id/rehire')
  @HttpCode(200)
  @ApiOkResponse({ type: EmployeeView })
  @ApiConflictResponse({ description: 'Not terminated' })
  async rehire(
    @Param() { companyId, id }: EmployeeIdParams,
    @Body() body: RehireEmployeeDto,
  ): Promise<EmployeeView> {
    return single(await this.employees.rehire(companyId, id, body.hireDate));
  }

  /** Soft delete: employee.deleted; the e-mail can be hired again. */
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'Already deleted' })
  async remove(@Param() { companyId, id }: EmployeeIdParams): Promise<void> {
    await this.employees.remove(companyId, id);
  }
}
