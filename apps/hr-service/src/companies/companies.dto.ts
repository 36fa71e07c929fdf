import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { CompanyInput, MAX_ADMIN_EMAILS } from '@talentsync/contracts';
import { PageNumberParam, PageSizeParam } from '@talentsync/shared/http';
import type { CompanyShown } from './company.entity';

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

/** POST /companies and PUT /companies/:companyId: the contract's rules, documented. */
export class CompanyDto extends CompanyInput {
  @ApiProperty({ example: 'Acme Ltd', maxLength: 200 })
  @Transform(trimmed)
  declare name: string;

  @ApiProperty({ example: 'owner@acme.example', description: 'Hears about automatic sync runs' })
  @Transform(trimmed)
  declare ownerEmail: string;

  @ApiProperty({
    type: [String],
    example: ['it@acme.example'],
    maxItems: MAX_ADMIN_EMAILS,
    description: 'Also hear about automatic sync runs; duplicates are dropped',
  })
  @Transform(({ value }) =>
    Array.isArray(value) ? value.map((item) => trimmed({ value: item })) : value,
  )
  declare adminEmails: string[];
}

/** A company as the APIs show it (`hr.companies.get` answers the same). */
export class CompanyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Null only for a company upgraded from a deployment that never set one',
  })
  ownerEmail: string | null;
  @ApiProperty({ type: [String] }) adminEmails: string[];

  static of(row: CompanyShown): CompanyView {
    return Object.assign(new CompanyView(), {
      id: row.id,
      name: row.name,
      ownerEmail: row.ownerEmail,
      adminEmails: row.adminEmails,
    });
  }
}

export const COMPANIES_MAX_PAGE_SIZE = 200;

export class ListCompaniesQuery {
  @PageNumberParam() page = 1;
  @PageSizeParam(COMPANIES_MAX_PAGE_SIZE, 50) pageSize = 50;
}

export class CompanyPage {
  @ApiProperty({ type: [CompanyView] }) items: CompanyView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class DeleteCompanyQuery {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Remove its rows now instead of after COMPANY_PURGE_AFTER',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'purge must be true or false' })
  purge?: boolean;
}
