import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { COMPANY_ID_PARAM } from './company-access.decorators';

/**
 * `:companyId` of a company-scoped route, declared so the validation pipe accepts it among the
 * path params (extend it with the route's other ids). Not checked as a UUID here: the guard has
 * answered a malformed id as an unknown company (404) before any pipe runs, and a 400 would
 * tell the two apart.
 */
export class CompanyParams {
  @ApiProperty({ name: COMPANY_ID_PARAM, format: 'uuid' })
  @IsString()
  companyId: string;
}
