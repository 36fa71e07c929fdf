import { randomBytes } from 'node:crypto';
import { HrRequests } from '@talentsync/contracts';
import { SealSsn1764400300000 } from '../../src/migrations/1764400300000-seal-ssn';
import {
  api,
  asOwner,
  firstCompany,
  Hr,
  Json,
  newHire,
  rpc,
  sql,
  startHr,
  TestCompany,
} from './hr-harness';

const SSN = '321-54-9876';
const spellings = [SSN, SSN.replace(/-/g, ''), Buffer.from(SSN).toString('base64')];

describe('SSNs sealed at rest (hr.employees)', () => {
  const key = randomBytes(32).toString('hex');
  let hr: Hr;
  // The upgraded deployment's company: the later migrations (companies) go down and up too.
  let company: TestCompany;
  /** Reverts the migrations down to and including `name` (later ones come off first). */
  const undoThrough = (name: string) =>
    asOwner(hr.env.DB_SCHEMA, async (owner) => {
      const applied = async () =>
        ((await owner.query('SELECT name FROM migrations')) as { name: string }[]).map(
          (m) => m.name,
        );
      while ((await applied()).includes(name)) await owner.undoLastMigration();
    });
  const stored = async (id: string) =>
    (await sql<{ ssn: string | null }>(hr, 'SELECT ssn FROM employees WHERE id = $1', [id]))[0].ssn;

  beforeAll(async () => {
    hr = await startHr({ SSN_ENCRYPTION_KEY: key });
    company = await firstCompany(hr);
  });
  afterAll(() => hr?.close());

  it('stores only a sealed SSN; the API and hr.* replies behave as before', async () => {
    const hired = await api(
      hr,
      'POST',
      `${company.base}/employees`,
      newHire({ attributes: { ssn: SSN } }),
    );
    expect(hired.status).toBe(201);
    const id = hired.body.id as string;

    const row = JSON.stringify(
      await sql(hr, 'SELECT row_to_json(e)::text AS r FROM employees e WHERE id = $1', [id]),
    );
    for (const spelling of spellings) expect(row).not.toContain(spelling);
    expect(await stored(id)).toMatch(/^v2\./);

    expect((await api(hr, 'GET', `${company.base}/employees/${id}`)).body.attributes.ssn).toBe(
      '***-**-9876',
    );
    const viaNats: Json = await rpc(hr, HrRequests.getEmployee, {
      companyId: company.id,
      id,
      includeSsn: true,
    });
    expect(viaNats.employee?.attributes?.ssn ?? viaNats.attributes?.ssn).toBe(SSN);

    const patched = await api(hr, 'PATCH', `${company.base}/employees/${id}`, {
      attributes: { ssn: '111-22-3333' },
    });
    expect(patched.status).toBe(200);
    expect(JSON.stringify(await stored(id))).not.toContain('3333');
  });

  it('the migration seals rows stored in clear, and its down opens them again', async () => {
    const hired = await api(
      hr,
      'POST',
      `${company.base}/employees`,
      newHire({ attributes: { ssn: SSN } }),
    );
    const id = hired.body.id as string;
    await undoThrough(SealSsn1764400300000.name);
    expect(await stored(id)).toBe(SSN);

    // A row written in clear before the upgrade.
    await sql(hr, `UPDATE employees SET ssn = '555-66-7777' WHERE id = $1`, [id]);
    await asOwner(hr.env.DB_SCHEMA, (owner) => owner.runMigrations());
    expect(await stored(id)).toMatch(/^v2\./);
    const viaNats: Json = await rpc(hr, HrRequests.getEmployee, {
      companyId: company.id,
      id,
      includeSsn: true,
    });
    expect(JSON.stringify(viaNats)).toContain('555-66-7777');
  });
});
