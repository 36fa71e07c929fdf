import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The highest `page` any list answers; far beyond any real list, far below bigint offsets. */
export const MAX_PAGE = 1_000_000;

/**
 * A query value made only of decimal digits becomes that number; anything else (`1e3`, `1.5`,
 * `0x10`, ` 7`, 21 digits) stays text, so `@IsInt()` refuses it: 400 naming the field.
 */
const toWholeNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^[0-9]{1,9}$/.test(value) ? Number(value) : value;

function boundedInteger(maximum: number, defaultValue: number, description: string) {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: 1,
      maximum,
      default: defaultValue,
      description,
    }),
    IsOptional(),
    Transform(toWholeNumber),
    IsInt(),
    Min(1),
    Max(maximum),
  );
}

/** `?page=`: digits only, 1 to MAX_PAGE. The one rule for every paged list of every service. */
export const PageNumberParam = (defaultValue = 1) =>
  boundedInteger(MAX_PAGE, defaultValue, `1 to ${MAX_PAGE}, digits only`);

/** `?pageSize=` (or a list's own size parameter): digits only, 1 to `maximum`. */
export const PageSizeParam = (maximum: number, defaultValue: number) =>
  boundedInteger(maximum, defaultValue, `1 to ${maximum}, digits only`);
