import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { PageNumberParam, PageSizeParam } from '@talentsync/shared/http';

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class PageQuery {
  @PageNumberParam() page = 1;
  @PageSizeParam(500, 20) pageSize = 20;
}

export class RunItemsQuery {
  @PageNumberParam() itemsPage = 1;
  @PageSizeParam(5000, 500) itemsPageSize = 500;
}

/**
 * `:id` of a run: a UUID, or 400 naming `id` like any other bad field (`:companyId` is the
 * company decorator's).
 */
export class RunIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  companyId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

/** POST /companies/:companyId/integrations/talentlms/sync query. */
export class SyncQuery {
  @ApiPropertyOptional({ description: 'return the plan without applying it' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({ description: 'sync only this employee' })
  @IsOptional()
  @IsUUID()
  employeeId?: string;
}
