import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

/**
 * `:companyId` of a company-scoped route, declared so the validation pipe accepts it among the
 * path params. Not checked as a UUID here: a malformed id is an unknown company (404, from the
 * guard and again from the data layer), never a 400 that would tell it apart.
 */
export class CompanyParams {
  @ApiProperty({ format: 'uuid' })
  @IsString()
  companyId: string;
}
