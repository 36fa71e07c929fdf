import { randomUUID } from 'node:crypto';
import { startTestService, type TestService } from '@talentsync/shared/service-testing';
import { AppModule, SERVICE_NAME } from '../../src/app.module';
import { SyncEnv } from '../../src/config/sync.env';
import { LinksService } from '../../src/engine/links.service';

const PORTAL = 'portal.example';

describe(LinksService.name, () => {
  let service: TestService<SyncEnv>;
  let sut: LinksService;

  beforeAll(async () => {
    service = await startTestService(SyncEnv, (env) => AppModule.forRoot(env), {
      name: SERVICE_NAME,
      schemaPrefix: 'sync',
    });
    sut = service.app.get(LinksService);
  });
  afterAll(() => service?.close());

  it('links one user per employee and vice versa: a new link replaces the old one of either side', async () => {
    const company = randomUUID();
    const [ada, bob] = [randomUUID(), randomUUID()];
    await sut.link(company, PORTAL, ada, '41');
    await sut.link(company, PORTAL, bob, '77');

    await sut.link(company, PORTAL, bob, '41'); // Bob takes over Ada's account (a rehire)
    await expect(sut.all(company, PORTAL)).resolves.toEqual([{ employeeId: bob, lmsUserId: '41' }]);

    await sut.link(company, PORTAL, ada, '41'); // and back, twice: an upsert
    await sut.link(company, PORTAL, ada, '41');
    await expect(sut.all(company, PORTAL)).resolves.toEqual([{ employeeId: ada, lmsUserId: '41' }]);
  });

  it("keeps each company's links apart on one portal", async () => {
    const [acme, globex] = [randomUUID(), randomUUID()];
    const ada = randomUUID();
    await sut.link(acme, PORTAL, ada, '41');
    await sut.link(globex, PORTAL, randomUUID(), '41');

    await expect(sut.forLmsUser(acme, PORTAL, '41')).resolves.toBe(ada);
  });
});
