import { randomUUID } from 'node:crypto';
import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import type { Subscription } from '@nats-io/transport-node';
import {
  BaseEnv,
  CompanyTokenEnv,
  DatabaseEnv,
  HttpEnv,
  NatsEnv,
  validateEnv,
} from '@talentsync/shared/config';
import { NatsConnection } from '@talentsync/shared/messaging';
import { isolatedEnv, waitFor } from '@talentsync/shared/testing';
import {
  CompanyId,
  createService,
  ServicePlatformModule,
  signCompanyToken,
  startService,
} from '../../src';

class AccessEnv extends DatabaseEnv(NatsEnv(CompanyTokenEnv(HttpEnv(BaseEnv, 0))), 'access') {}

@Controller('companies/:companyId/probe')
class ProbeController {
  @Get()
  probe(@CompanyId() companyId: string) {
    return { companyId };
  }
}

/**
 * A service that is not hr-service (companyAccess 'remote', the default): its guard asks
 * `hr.companies.get` and `hr.tokens.status` over NATS, answered here by a stand-in for hr.
 */
describe('company access over NATS (RemoteCompanyAccess)', () => {
  const acme = randomUUID();
  const tokenId = randomUUID();
  const known = new Set<string>([acme]);
  const active = new Set<string>([tokenId]);
  let app: INestApplication;
  let env: AccessEnv;
  let url: string;
  let hr: Subscription[] = [];
  let token: string;

  /** hr-service's side of the two subjects, with the RPC reply envelope. */
  function answerAsHr() {
    const nats = app.get(NatsConnection);
    const respond = (subject: string, answer: (body: Record<string, string>) => unknown) =>
      nats.connection.subscribe(nats.subject(subject), {
        callback: (_error, msg) => {
          msg.respond(JSON.stringify(answer(msg.json())));
        },
      });
    hr = [
      respond('hr.companies.get', ({ companyId }) =>
        known.has(companyId)
          ? { ok: true, data: { id: companyId, name: 'Acme', ownerEmail: null, adminEmails: [] } }
          : { ok: false, error: { code: 'NOT_FOUND', message: 'no', retryable: false } },
      ),
      respond('hr.tokens.status', ({ companyId, tokenId: id }) => ({
        ok: true,
        data: { active: known.has(companyId) && active.has(id) },
      })),
    ];
  }

  const probe = async (companyId: string, bearer = token) => {
    const response = await fetch(`${url}/companies/${companyId}/probe`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    return { status: response.status, body: await response.json() };
  };

  beforeAll(async () => {
    env = validateEnv(AccessEnv, isolatedEnv('access', { LOG_LEVEL: 'silent' }));
    @Module({
      imports: [
        ServicePlatformModule.forRoot({ service: 'access-test', envClass: AccessEnv, env }),
      ],
      controllers: [ProbeController],
    })
    class AccessTestModule {}
    app = await createService(AccessTestModule as never, { name: 'access-test' });
    await startService(app, env);
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    answerAsHr();
    token = await signCompanyToken(
      { companyId: acme, tokenId, expiresAt: new Date(Date.now() + 600_000) },
      env.tokenSigningKey,
    );
  });
  afterAll(() => app?.close());

  it('lets a company token in on its own company', async () => {
    await expect(probe(acme)).resolves.toEqual({ status: 200, body: { companyId: acme } });
  });

  it('answers 404 for a company hr-service does not know, for the platform too', async () => {
    const unknown = randomUUID();
    await expect(probe(unknown, env.apiToken)).resolves.toMatchObject({
      status: 404,
      body: { message: `Company ${unknown} not found` },
    });
  });

  it('refuses a revoked token within 2 s', async () => {
    const revokedId = randomUUID();
    active.add(revokedId);
    const revocable = await signCompanyToken(
      { companyId: acme, tokenId: revokedId, expiresAt: new Date(Date.now() + 600_000) },
      env.tokenSigningKey,
    );
    expect((await probe(acme, revocable)).status).toBe(200);
    active.delete(revokedId);
    const revokedAt = Date.now();
    await waitFor('the revocation to reach the guard', async () =>
      (await probe(acme, revocable)).status === 401 ? true : undefined,
    );
    expect(Date.now() - revokedAt).toBeLessThan(2_500);
  });

  it('answers 503, never access, while hr-service cannot be asked', async () => {
    for (const subscription of hr) subscription.unsubscribe();
    const other = randomUUID(); // nothing kept for it
    await expect(probe(other, env.apiToken)).resolves.toMatchObject({
      status: 503,
      body: { message: 'company directory unavailable' },
    });
    answerAsHr();
  });
});
