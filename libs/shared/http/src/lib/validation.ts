import { ValidationError, ValidationPipe } from '@nestjs/common';
import { describeValidationErrors, InvalidInputError } from '@talentsync/contracts';

/** Groups `path: message` lines by field, e.g. `{email: ['email must be an email']}`. */
export function fieldErrors(errors: ValidationError[]): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const line of describeValidationErrors(errors)) {
    const at = line.indexOf(': ');
    const field = line.slice(0, at);
    (fields[field] ??= []).push(line.slice(at + 2));
  }
  return fields;
}

/**
 * Rejects bad input naming each bad field, unknown fields included. At the HTTP edge that is a
 * 400 `{error: 'VALIDATION_FAILED', message, details: {fields: {email: [...]}}}`; over NATS the
 * same as an RpcError.
 */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = fieldErrors(errors);
      return new InvalidInputError(`Invalid input: ${Object.keys(fields).join(', ')}`, { fields });
    },
  });
}
