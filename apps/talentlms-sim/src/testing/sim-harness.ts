import type { INestApplication } from '@nestjs/common';
import { validateEnv } from '@talentsync/shared/config';
import { createService, startService } from '@talentsync/shared/http';
import { AppModule, SIM_SERVICE_OPTIONS } from '../app.module';
import { SimEnv } from '../config/sim.env';
import { TlsServer } from '../tls/tls-server.service';

export const TEST_API_KEY = 'test-api-key-5f1c9a';

export interface ApiCall {
  method?: string;
  /** Sent form-encoded, as TalentLMS clients do. */
  form?: Record<string, string>;
  json?: unknown;
  /** Sent multipart/form-data (the fetch API writes the boundary). */
  multipart?: FormData;
  /** The API key to send; null sends no Authorization header. */
  key?: string | null;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface SimUnderTest {
  url: string;
  app: INestApplication;
  tlsPort: number | null;
  /** `path` after /api/v1/, e.g. `users/id:5`. */
  api(path: string, call?: ApiCall): Promise<Answer>;
  admin(method: string, path: string, body?: unknown): Promise<Answer>;
  close(): Promise<void>;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

export const basicAuth = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

/**
 * The simulator in-process on 127.0.0.1 (a free port), built as main.ts builds it; HTTPS off
 * unless `SIM_TLS` is given. Talks to it over real HTTP.
 */
export async function startSim(env: Record<string, string> = {}): Promise<SimUnderTest> {
  const simEnv = validateEnv(SimEnv, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    SIM_TLS: 'false',
    SIM_API_KEY: TEST_API_KEY,
    ...env,
  });
  const app = await createService(AppModule.forRoot(simEnv), SIM_SERVICE_OPTIONS);
  await startService(app, simEnv);
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    url,
    app,
    tlsPort: app.get(TlsServer).port,
    api: async (path, call = {}) => {
      const headers: Record<string, string> = {};
      const key = call.key === undefined ? TEST_API_KEY : call.key;
      if (key !== null) headers.authorization = basicAuth(key);
      let body: string | FormData | undefined;
      if (call.multipart) {
        body = call.multipart;
      } else if (call.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(call.form).toString();
      } else if (call.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(call.json);
      }
      const method = call.method ?? (body === undefined ? 'GET' : 'POST');
      return answer(await fetch(`${url}/api/v1/${path}`, { method, headers, body }));
    },
    admin: async (method, path, body) =>
      answer(
        await fetch(`${url}/_sim/${path}`, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      ),
    close: () => app.close(),
  };
}

/** The portal's error body. */
export const portalError = (message: string, type = 'invalid_request_error') => ({
  error: { type, message },
});

/**
 * A simulator for a describe block: started once with `env`, reset and seeded with `seed`
 * before each test, closed after the block. Returns a getter for it.
 */
export function useSim(seed: object, env: Record<string, string> = {}): () => SimUnderTest {
  let sim: SimUnderTest | undefined;
  const current = () => {
    if (!sim) throw new Error('the simulator did not start');
    return sim;
  };
  beforeAll(async () => {
    sim = await startSim(env);
  });
  beforeEach(async () => {
    await current().admin('POST', 'reset');
    const seeded = await current().admin('POST', 'seed', seed);
    if (seeded.status !== 200) throw new Error(`the test seed was refused: ${seeded.text}`);
  });
  afterAll(() => sim?.close());
  return current;
}

/** Test people: a seed user and the signup form for the same person. */
export const ANN = { login: 'ann', firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' };
export const BOB = { login: 'bob', firstName: 'Bob', lastName: 'Ray', email: 'bob@example.com' };
export const BO_SIGNUP = {
  first_name: 'Bo',
  last_name: 'Ek',
  email: 'bo@example.com',
  login: 'bo',
  password: 'Secret-123',
};
