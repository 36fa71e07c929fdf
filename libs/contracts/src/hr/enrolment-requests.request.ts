import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { HR_MAX_PAGE_SIZE } from './paging';
import { CompanyScopedRequest } from '../lib/company';

/** pending -> sent (TalentLMS enrolled the person) | failed (with the reason). */
export const ENROLMENT_REQUEST_STATUSES = ['pending', 'sent', 'failed'] as const;
export type EnrolmentRequestStatus = (typeof ENROLMENT_REQUEST_STATUSES)[number];

/** `hr.training.enrolment-requests`: enrolments made in HR still waiting for TalentLMS, oldest first. */
export class ListEnrolmentRequestsRequest extends CompanyScopedRequest {
  @IsOptional() @IsInt() @Min(1) @Max(HR_MAX_PAGE_SIZE) limit?: number;
}

export class PendingEnrolmentRequest {
  @IsUUID() id: string;
  @IsUUID() employeeId: string;
  @IsString() courseId: string;
  @IsOptional() @IsString() courseName: string | null;
  @IsISO8601({ strict: true }) requestedAt: string;
}

export class ListEnrolmentRequestsResponse {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PendingEnrolmentRequest)
  items: PendingEnrolmentRequest[];
}

/**
 * `hr.training.enrolment-requests.mark`: the orchestrator's outcome for a pending request.
 * `failed` needs a reason. Marking again with the same outcome is a no-op; with another one
 * (or a request that is no longer pending) it is a CONFLICT.
 */
export class MarkEnrolmentRequestRequest extends CompanyScopedRequest {
  @IsUUID() id: string;
  @IsIn(['sent', 'failed']) outcome: 'sent' | 'failed';
  @ValidateIf(
    (request: MarkEnrolmentRequestRequest) =>
      request.outcome === 'failed' || request.reason !== undefined,
  )
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason?: string;
}

export class EnrolmentRequestState {
  @IsUUID() id: string;
  @IsIn(ENROLMENT_REQUEST_STATUSES) status: EnrolmentRequestStatus;
  @IsOptional() @IsString() reason: string | null;
  @IsISO8601({ strict: true }) updatedAt: string;
}
