import { ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
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

type RulesOf = ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas'];
const REMEMBERED = Symbol.for('talentsync.rememberedValidationRules');

/**
 * class-validator finds a class's rules again on every object it validates, nested ones
 * included, scanning every class it knows for parents: on the services' NATS requests that was
 * a fifth of the validation's CPU. The answer only changes when a rule is registered (as
 * decorators run, at load), so it is kept per (class, options) until one is. Idempotent.
 */
export function rememberValidationRules(): void {
  const storage = getMetadataStorage() as ReturnType<typeof getMetadataStorage> & {
    [REMEMBERED]?: true;
  };
  if (storage[REMEMBERED]) return;
  storage[REMEMBERED] = true;
  const find: RulesOf = storage.getTargetValidationMetadatas.bind(storage);
  let found = new Map<unknown, Map<string, ReturnType<RulesOf>>>();
  const forget = () => (found = new Map());
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const options = `${schema}|${always}|${strictGroups}|${groups?.join(',') ?? ''}`;
    let byOptions = found.get(target);
    if (!byOptions) found.set(target, (byOptions = new Map()));
    let rules = byOptions.get(options);
    if (!rules)
      byOptions.set(options, (rules = find(target, schema, always, strictGroups, groups)));
    return rules;
  };
  for (const register of [
    'addValidationMetadata',
    'addValidationSchema',
    'addConstraintMetadata',
  ] as const) {
    const add = storage[register].bind(storage) as (arg: never) => void;
    (storage as unknown as Record<string, (arg: never) => void>)[register] = (arg) => {
      forget();
      add(arg);
    };
  }
}
/**
 * Rejects bad input naming each bad field, unknown fields included. At the HTTP edge that is a
 * 400 `{error: 'VALIDATION_FAILED', message, details: {fields: {email: [...]}}}`; over NATS the
 * same as an RpcError.
 */
export function validationPipe(): ValidationPipe {
  rememberValidationRules();
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
