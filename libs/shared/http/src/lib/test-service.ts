import type { DynamicModule, INestApplication } from '@nestjs/common';
import { EnvClass, validateEnv } from '@talentsync/shared/config';
import { dropSchema, isolatedEnv } from '@talentsync/shared/testing';
import { createService, ServiceOptions, startService } from './bootstrap';

export interface TestService<E> {
  app: INestApplication;
  env: E;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Closes the app; with `dropData` also drops its schema. */
  close(options?: { dropData?: boolean }): Promise<void>;
}

/**
 * Boots a real service in-process, exactly as main.ts does, against the shared test Postgres
 * and NATS with its own schema and NATS namespace (or those given in `overrides`).
 */
export async function startTestService<
  E extends { PORT: number; HOST: string; DB_SCHEMA?: string; DATABASE_URL?: string },
>(
  envClass: EnvClass<E>,
  moduleFor: (env: E) => DynamicModule,
  options: ServiceOptions & { schemaPrefix: string; env?: Record<string, string> },
): Promise<TestService<E>> {
  const env = validateEnv(envClass, isolatedEnv(options.schemaPrefix, options.env));
  const app = await createService(moduleFor(env), options);
  await startService(app, env);
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    env,
    url,
    close: async ({ dropData = true } = {}) => {
      await app.close();
      if (dropData && env.DB_SCHEMA && env.DATABASE_URL)
        await dropSchema(env.DATABASE_URL, env.DB_SCHEMA);
    },
  };
}
