import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { EmployeeIdParams } from '../employees/employees.dto';
import { EmployeeTrainingView, EnrolDto, EnrolmentRequestView } from './training.dto';
import { TrainingService } from './training.service';

@ApiTags('training')
@ApiBearerAuth()
@Controller('companies/:companyId/employees/:id/training')
export class TrainingController {
  constructor(private readonly training: TrainingService) {}

  /** The employee's courses with progress, and the enrolments made in HR. */
  @Get()
  @ApiOkResponse({ type: EmployeeTrainingView })
  @ApiNotFoundResponse()
  forEmployee(@Param() { companyId, id }: EmployeeIdParams): Promise<EmployeeTrainingView> {
    return this.training.forEmployee(companyId, id);
  }

  /** Enrol in a course: 201 with a pending request (200 with the one already pending). */
  @Post()
  @ApiCreatedResponse({ type: EnrolmentRequestView })
  @ApiOkResponse({ type: EnrolmentRequestView, description: 'Already requested, still pending' })
  @ApiConflictResponse({ description: 'Not active, or already enrolled in the course' })
  async enrol(
    @Param() { companyId, id }: EmployeeIdParams,
    @Body() body: EnrolDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<EnrolmentRequestView> {
    const { request, created } = await this.training.requestEnrolment(companyId, id, body);
    response.status(created ? 201 : 200);
    return request;
  }
}
