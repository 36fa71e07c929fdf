import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Company, MAX_ADMIN_EMAILS } from '@talentsync/contracts';
import type { CompanyEntity } from './company.entity';

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

/** PUT /company: the contract's rules, documented. */
export class CompanyDto extends Company {
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

export class CompanyView extends CompanyDto {
  @ApiProperty() updatedAt: string;

  static of(row: CompanyEntity): CompanyView {
    return Object.assign(new CompanyView(), {
      name: row.name,
      ownerEmail: row.ownerEmail,
      adminEmails: row.adminEmails,
      updatedAt: row.updatedAt.toISOString(),
    });
  }
}
