import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/**
 * `:companyId` of a company-scoped route. The guard has already answered 404 for a malformed,
 * unknown or foreign one; declared so the validation pipe accepts it among the path params.
 */
export class CompanyParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  companyId: string;
}
