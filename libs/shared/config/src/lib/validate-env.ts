import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

export type EnvClass<T extends object> = new () => T;

/** Thrown at boot when the environment is wrong; lists every bad variable at once. */
export class EnvValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvValidationError';
  }
}

function describe(errors: ValidationError[]): string[] {
  // Values are never echoed back: a bad variable may still hold a secret.
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((message) => `${e.property}: ${message}`),
  );
}

/**
 * Builds the env class from raw variables (unset or empty values keep the class defaults),
 * converts types and validates. Throws EnvValidationError naming every bad variable.
 */
export function validateEnv<T extends object>(
  cls: EnvClass<T>,
  raw: Record<string, string | undefined> = process.env,
): T {
  const present = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''),
  );
  const env = plainToInstance(cls, present, { enableImplicitConversion: false });
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new EnvValidationError(describe(errors));
  return env;
}
