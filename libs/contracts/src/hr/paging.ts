import { IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { CompanyScopedRequest } from '../lib/company';

/** Largest page an `hr.*` list answers; a page must also fit in one NATS message (1 MB). */
export const HR_MAX_PAGE_SIZE = 1000;
export const HR_DEFAULT_PAGE_SIZE = 500;

/**
 * Error code of an `hr.*` list whose page would not fit in one NATS message; `details`
 * carries `{maxPageSize}`, the largest page size that would have fitted. Ask again with it.
 */
export const REPLY_TOO_LARGE = 'REPLY_TOO_LARGE';

/** `page` from 1, `pageSize` up to HR_MAX_PAGE_SIZE (default HR_DEFAULT_PAGE_SIZE). */
export class PageRequest extends CompanyScopedRequest {
  @IsOptional() @IsInt() @Min(1) page?: number;
  @IsOptional() @IsInt() @Min(1) @Max(HR_MAX_PAGE_SIZE) pageSize?: number;
}

/** What every `hr.*` page answers besides its items. */
export class PageInfo {
  @IsInt() @Min(0) total: number;
  @IsInt() @Min(1) page: number;
  @IsInt() @Min(1) pageSize: number;
}

/**
 * The field may be left out, but when it is there it must be valid: unlike `@IsOptional()`,
 * null is refused (null is not "no change" for a field that cannot be empty).
 */
export const IfPresent = () => ValidateIf((_object, value) => value !== undefined);
