import { plainToInstance } from 'class-transformer';
import {
  registerDecorator,
  validateSync,
  ValidationError,
  ValidationOptions,
} from 'class-validator';
import { isCalendarDate } from './formats';

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Flattens class-validator errors into `path: message` lines, nested properties included. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...describeValidationErrors(error.children ?? [], path)];
  });
}

/** Validates untrusted wire data against a contract class; unknown properties are errors. */
export function parseMessage<T extends object>(cls: new () => T, data: unknown): Parsed<T> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, errors: ['message: must be a JSON object'] };
  }
  const value = plainToInstance(cls, data);
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true });
  return errors.length === 0
    ? { ok: true, value }
    : { ok: false, errors: describeValidationErrors(errors) };
}

/** `@IsCalendarDate()`: a real date written YYYY-MM-DD. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be a real date written YYYY-MM-DD`,
        ...options,
      },
      validator: { validate: (value: unknown) => isCalendarDate(value) },
    });
}
