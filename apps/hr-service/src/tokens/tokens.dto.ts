import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, MinLength, ValidateBy } from 'class-validator';
import { VISIBLE_TEXT, VISIBLE_TEXT_MESSAGE } from '@talentsync/contracts';
import { parseDuration } from '@talentsync/shared/config';
import { PageNumberParam, PageSizeParam } from '@talentsync/shared/http';
import type { CompanyToken } from './company-token';

export const DEFAULT_TOKEN_LIFETIME = '90d';
export const MAX_TOKEN_LIFETIME = '365d';
const MAX_TOKEN_LIFETIME_MS = parseDuration(MAX_TOKEN_LIFETIME);

/** Whole seconds, minutes, hours or days: `3600s`, `30m`, `12h`, `30d`. */
const LIFETIME = /^[1-9]\d{0,8}(s|m|h|d)$/;

/** How long a token lives, in ms: the duration text, or undefined if it is not one we take. */
export function tokenLifetimeMs(text: unknown): number | undefined {
  if (typeof text !== 'string' || !LIFETIME.test(text)) return undefined;
  const ms = parseDuration(text);
  return ms <= MAX_TOKEN_LIFETIME_MS ? ms : undefined;
}

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

/** POST /companies/:companyId/tokens */
export class IssueTokenDto {
  @ApiProperty({ example: 'Payroll export', minLength: 1, maxLength: 100 })
  @Transform(trimmed)
  @IsString()
  @MinLength(1, { message: '$property must not be empty' })
  @MaxLength(100)
  @Matches(VISIBLE_TEXT, { message: VISIBLE_TEXT_MESSAGE })
  name: string;

  @ApiPropertyOptional({
    example: '30d',
    default: DEFAULT_TOKEN_LIFETIME,
    description: `How long the token is valid: a whole number of s, m, h or d, at most ${MAX_TOKEN_LIFETIME}`,
  })
  @IsOptional()
  @ValidateBy({
    name: 'tokenLifetime',
    validator: {
      validate: (value: unknown) => tokenLifetimeMs(value) !== undefined,
      defaultMessage: () =>
        `expiresIn must be a duration such as 30d, 12h or 3600s, at most ${MAX_TOKEN_LIFETIME}`,
    },
  })
  expiresIn?: string;
}

/** A token as listed: never the token itself. */
export class TokenView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;

  static of(row: CompanyToken): TokenView {
    return Object.assign(new TokenView(), {
      id: row.id,
      name: row.name,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      revokedAt: row.revokedAt?.toISOString() ?? null,
    });
  }
}

/** The answer to POST: the only time the token is shown. */
export class IssuedTokenView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The bearer token; shown once, never again' }) token: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() expiresAt: string;
}

export const TOKENS_MAX_PAGE_SIZE = 100;
export const TOKENS_DEFAULT_PAGE_SIZE = 20;

export class ListTokensQuery {
  @PageNumberParam() page = 1;
  @PageSizeParam(TOKENS_MAX_PAGE_SIZE, TOKENS_DEFAULT_PAGE_SIZE)
  pageSize = TOKENS_DEFAULT_PAGE_SIZE;
}

export class TokenPage {
  @ApiProperty({ type: [TokenView] }) items: TokenView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
