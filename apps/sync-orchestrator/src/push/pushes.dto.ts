import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../runs/runs.dto';
import { PUSH_STATUSES, type PushStatus } from './employee-push.entity';

/** `GET /integrations/talentlms/pushes`: a page, optionally one employee's or one status. */
export class PushesQuery extends PageQuery {
  @ApiPropertyOptional({ description: "only this employee's pushes" })
  @IsOptional()
  @IsUUID('all', { message: 'employeeId must be a UUID' })
  employeeId?: string;

  @ApiPropertyOptional({ enum: PUSH_STATUSES })
  @IsOptional()
  @IsIn(PUSH_STATUSES, { message: `status must be one of ${PUSH_STATUSES.join(', ')}` })
  status?: PushStatus;
}
