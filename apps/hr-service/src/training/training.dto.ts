import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import {
  ENROLMENT_REQUEST_STATUSES,
  EnrolmentRequestStatus,
  PendingEnrolmentRequest,
  TrainingRecord,
} from '@talentsync/contracts';
import type { EnrolmentRequestEntity } from './enrolment-request.entity';
import type { TrainingRecordEntity } from './training-record.entity';

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** POST /employees/:id/training: enrol the employee in a TalentLMS course from HR. */
export class EnrolDto {
  @ApiProperty({ description: 'TalentLMS course id', example: '12' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(/^[^\p{Cc}]*$/u, { message: 'courseId must not contain control characters' })
  courseId: string;

  @ApiPropertyOptional({ description: 'For display until TalentLMS reports the course' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  courseName?: string;
}

export class TrainingRecordView implements TrainingRecord {
  @ApiProperty({ format: 'uuid' }) employeeId: string;
  @ApiProperty() courseId: string;
  @ApiProperty() courseName: string;
  @ApiProperty({ type: String, nullable: true }) enrolledAt: string | null;
  @ApiProperty({ example: 'completed' }) completionStatus: string;
  @ApiProperty({ minimum: 0, maximum: 100 }) completionPercentage: number;
  @ApiProperty({ type: String, nullable: true }) completedAt: string | null;
  @ApiProperty() totalTimeSeconds: number;
  @ApiProperty() lastSyncedAt: string;

  static of(row: TrainingRecordEntity): TrainingRecordView {
    return Object.assign(new TrainingRecordView(), {
      employeeId: row.employeeId,
      courseId: row.courseId,
      courseName: row.courseName,
      enrolledAt: iso(row.enrolledAt),
      completionStatus: row.completionStatus,
      completionPercentage: row.completionPercentage,
      completedAt: iso(row.completedAt),
      totalTimeSeconds: row.totalTimeSeconds,
      lastSyncedAt: row.lastSyncedAt.toISOString(),
    });
  }
}

export class EnrolmentRequestView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) employeeId: string;
  @ApiProperty() courseId: string;
  @ApiProperty({ type: String, nullable: true }) courseName: string | null;
  @ApiProperty({ enum: ENROLMENT_REQUEST_STATUSES }) status: EnrolmentRequestStatus;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty() requestedAt: string;
  @ApiProperty() updatedAt: string;

  static of(row: EnrolmentRequestEntity): EnrolmentRequestView {
    return Object.assign(new EnrolmentRequestView(), {
      id: row.id,
      employeeId: row.employeeId,
      courseId: row.courseId,
      courseName: row.courseName,
      status: row.status,
      reason: row.reason,
      requestedAt: row.requestedAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    });
  }
}

/** What `hr.training.enrolment-requests` lists: the contract's subset of a request. */
export function toPendingEnrolment(row: EnrolmentRequestEntity): PendingEnrolmentRequest {
  return {
    id: row.id,
    employeeId: row.employeeId,
    courseId: row.courseId,
    courseName: row.courseName,
    requestedAt: row.requestedAt.toISOString(),
  };
}

/** GET /employees/:id/training */
export class EmployeeTrainingView {
  @ApiProperty({ format: 'uuid' }) employeeId: string;
  @ApiProperty({ type: [TrainingRecordView], description: 'Progress as TalentLMS reported it' })
  records: TrainingRecordView[];
  @ApiProperty({
    type: [EnrolmentRequestView],
    description: 'Enrolments made in HR: pending until sent to TalentLMS, or failed with why',
  })
  enrolmentRequests: EnrolmentRequestView[];
}
