import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageNumberParam, PageSizeParam } from '@talentsync/shared/http';
import { PUSH_STATUSES, type PushStatus } from './employee-push.entity';

/** `GET /companies/:companyId/integrations/talentlms/pushes`: a page, optionally one employee's or one status. */
export class PushesQuery {
  @PageNumberParam() page = 1;
  @PageSizeParam(500, 20) pageSize = 20;

  @ApiPropertyOptional({ description: "only this employee's pushes" })
  @IsOptional()
  @IsUUID('all', { message: 'employeeId must be a UUID' })
  employeeId?: string;

  @ApiPropertyOptional({ enum: PUSH_STATUSES })
  @IsOptional()
  @IsIn(PUSH_STATUSES, { message: `status must be one of ${PUSH_STATUSES.join(', ')}` })
  status?: PushStatus;
}
