import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Metrics } from '@talentsync/contracts';
import { EnvClass, validateEnv } from '@talentsync/shared/config';
import { dropSchema, isolatedEnv, withPg } from '@talentsync/shared/testing';
import { createService, ServiceOptions, startService } from '@talentsync/shared/http';

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

/**
 * The checks every service's integration tier starts with: it boots against real Postgres and
 * NATS, reports ready with its own schema, has applied its migrations there (creating
 * `tables`), answers /metrics, and refuses a protected route without the bearer token.
 */
export function describeServiceBasics<
  E extends { PORT: number; HOST: string; DB_SCHEMA: string; DATABASE_URL: string },
>(
  envClass: EnvClass<E>,
  moduleFor: (env: E) => DynamicModule,
  options: ServiceOptions & { schemaPrefix: string; tables: string[]; protectedRoute?: string },
): void {
  describe(`${options.name} on real Postgres and NATS`, () => {
    let service: TestService<E>;

    beforeAll(async () => {
      service = await startTestService(envClass, moduleFor, options);
    });
    afterAll(() => service?.close());

    it('is ready, with its own schema and its NATS connection', async () => {
      const response = await fetch(`${service.url}/health/ready`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        info: { database: { status: 'up', schema: service.env.DB_SCHEMA }, nats: { status: 'up' } },
      });
    });

    it('has applied its migrations in its own schema only', async () => {
      const tables = await withPg(service.env.DATABASE_URL, async (pg) => {
        const { rows } = await pg.query(
          'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
          [service.env.DB_SCHEMA],
        );
        return rows.map((r: { table_name: string }) => r.table_name);
      });
      expect(tables).toEqual(expect.arrayContaining(['migrations', ...options.tables]));
    });

    it('serves Prometheus metrics without a token', async () => {
      const response = await fetch(`${service.url}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toMatch(/^process_cpu_user_seconds_total /m);
      // Ready (the test above): the gauge SREs alert on says so too.
      expect(text).toMatch(new RegExp(`^${Metrics.serviceReady.name} 1$`, 'm'));
    });

    it('exports no metric of its own outside the catalogue (Metrics), which alerts are written against', async () => {
      const text = await (await fetch(`${service.url}/metrics`)).text();
      const exported = [...text.matchAll(/^# TYPE (\S+) /gm)].map(([, name]) => name);
      const own = exported.filter((name) => !/^(process|nodejs)_/.test(name));
      const catalogue = Object.values(Metrics).map((metric) => metric.name as string);
      expect(own.filter((name) => !catalogue.includes(name))).toEqual([]);
      expect(own).toContain(Metrics.httpRequestDuration.name);
    });

    if (options.protectedRoute) {
      it('refuses a protected route without the bearer token, and with a wrong one', async () => {
        expect((await fetch(`${service.url}${options.protectedRoute}`)).status).toBe(401);
        const wrong = await fetch(`${service.url}${options.protectedRoute}`, {
          headers: { authorization: 'Bearer nope' },
        });
        expect(wrong.status).toBe(401);
      });
    }
  });
}
