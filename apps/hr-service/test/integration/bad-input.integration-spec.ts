import {
  api,
  createCompany,
  Hr,
  newCompany,
  newHire,
  rowCounts,
  startHr,
  TestCompany,
} from './hr-harness';

interface BadInput {
  name: string;
  body: unknown;
  /** Every field the 400 must name. */
  fields: string[];
}

const valid = () => newHire();
const long = (n: number) => 'x'.repeat(n);

const hires: BadInput[] = [
  {
    name: 'an empty body',
    body: {},
    fields: ['firstName', 'lastName', 'email', 'language', 'hireDate'],
  },
  {
    name: 'a JSON array',
    body: [],
    fields: ['firstName', 'lastName', 'email', 'language', 'hireDate'],
  },
  {
    name: 'wrong types',
    body: { ...valid(), firstName: 42, lastName: ['x'], hireDate: 20261102, attributes: 'x' },
    fields: ['firstName', 'lastName', 'hireDate', 'attributes'],
  },
  { name: 'a missing hire date', body: { ...valid(), hireDate: undefined }, fields: ['hireDate'] },
  {
    name: 'empty names',
    body: { ...valid(), firstName: '', lastName: '   ' },
    fields: ['firstName', 'lastName'],
  },
  { name: 'a bad e-mail', body: { ...valid(), email: 'ada@' }, fields: ['email'] },
  {
    name: 'an e-mail with markup',
    body: { ...valid(), email: '<a>@example.com' },
    fields: ['email'],
  },
  {
    name: 'an impossible date',
    body: { ...valid(), hireDate: '2023-02-30' },
    fields: ['hireDate'],
  },
  {
    name: 'a date in another format',
    body: { ...valid(), hireDate: '02/11/2026' },
    fields: ['hireDate'],
  },
  {
    name: 'a date out of range',
    body: { ...valid(), hireDate: '0001-01-01' },
    fields: ['hireDate'],
  },
  {
    name: 'a birth date in the future',
    body: { ...valid(), attributes: { dateOfBirth: '2999-01-01' } },
    fields: ['attributes.dateOfBirth'],
  },
  { name: 'an unknown language', body: { ...valid(), language: 'xx' }, fields: ['language'] },
  { name: 'a language name', body: { ...valid(), language: 'English' }, fields: ['language'] },
  {
    name: 'an upper-case language code',
    body: { ...valid(), language: 'EN' },
    fields: ['language'],
  },
  {
    name: 'oversize strings',
    body: {
      ...valid(),
      firstName: long(101),
      email: `${long(250)}@example.com`,
      attributes: { city: long(256) },
    },
    fields: ['firstName', 'email', 'attributes.city'],
  },
  {
    name: 'HTML in names',
    body: { ...valid(), firstName: '<script>alert(1)</script>', lastName: 'King<br>' },
    fields: ['firstName', 'lastName'],
  },
  {
    name: 'control characters in a name',
    body: { ...valid(), lastName: 'Ki\u0000ng' },
    fields: ['lastName'],
  },
  {
    name: 'format characters in names (a right-to-left override, a zero-width space)',
    body: { ...valid(), firstName: 'Ada\u202Egnp.exe', lastName: 'Ki\u200Bng' },
    fields: ['firstName', 'lastName'],
  },
  {
    name: 'unknown fields, top-level and in attributes',
    body: { ...valid(), salary: 1, status: 'terminated', attributes: { shoeSize: 42 } },
    fields: ['salary', 'status', 'attributes.shoeSize'],
  },
  {
    name: 'an SSN that is not one',
    body: { ...valid(), attributes: { ssn: '12' } },
    fields: ['attributes.ssn'],
  },
];

describe('hr-service bad input', () => {
  let hr: Hr;
  let company: TestCompany;
  let existing: { id: string };

  beforeAll(async () => {
    hr = await startHr();
    company = await createCompany(hr);
    existing = (await api(hr, 'POST', `${company.base}/employees`, newHire())).body;
  });
  afterAll(() => hr?.close());

  /** Sends the request; asserts a 400 naming exactly `fields` and an untouched database. */
  async function expectRefused(method: string, path: string, body: unknown, fields: string[]) {
    const before = await rowCounts(hr);
    const { status, body: answer } = await api(hr, method, path, body);
    expect(status).toBe(400);
    expect(answer).toMatchObject({ statusCode: 400, error: 'VALIDATION_FAILED', retryable: false });
    expect(Object.keys(answer.details.fields).sort()).toEqual([...fields].sort());
    expect(JSON.stringify(answer)).not.toMatch(/6789/);
    expect(await rowCounts(hr)).toEqual(before);
  }

  it.each(hires)(
    'POST /employees with $name: 400 naming $fields, nothing written',
    async ({ body, fields }) => {
      await expectRefused('POST', `${company.base}/employees`, body, fields);
    },
  );

  it.each(
    hires.filter((c) => !['an empty body', 'a JSON array', 'a missing hire date'].includes(c.name)),
  )(
    'PATCH /employees/:id with $name: 400 naming $fields, nothing written',
    async ({ body, fields }) => {
      await expectRefused('PATCH', `${company.base}/employees/${existing.id}`, body, fields);
    },
  );

  it.each([
    { path: 'terminate', body: { terminationDate: '2026-13-01' }, fields: ['terminationDate'] },
    {
      path: 'terminate',
      body: { terminationDate: 5, reason: 'x' },
      fields: ['terminationDate', 'reason'],
    },
    { path: 'rehire', body: { hireDate: '2026-02-29' }, fields: ['hireDate'] },
    { path: 'training', body: { courseName: long(501) }, fields: ['courseId', 'courseName'] },
  ])(
    'POST /employees/:id/$path with $fields bad: 400, nothing written',
    async ({ path, body, fields }) => {
      await expectRefused('POST', `${company.base}/employees/${existing.id}/${path}`, body, fields);
    },
  );

  it.each([
    { body: {}, fields: ['name', 'ownerEmail', 'adminEmails'] },
    {
      body: {
        name: 'Acme',
        ownerEmail: 'owner',
        adminEmails: ['ok@acme.test', 'nope'],
        extra: true,
      },
      fields: ['ownerEmail', 'adminEmails', 'extra'],
    },
    {
      body: { name: 'Acme\u202E', ownerEmail: 'owner@acme.test', adminEmails: [] },
      fields: ['name'],
    },
  ])(
    'POST /companies and PUT /companies/:id with $fields bad: 400, nothing written',
    async ({ body, fields }) => {
      await expectRefused('POST', '/companies', body, fields);
      await expectRefused('PUT', company.base, body, fields);
    },
  );

  it.each([
    ['GET', '/companies?page=0&pageSize=201&x=1', ['page', 'pageSize', 'x']],
    ['DELETE', '?purge=maybe', ['purge']],
  ])('%s %s: 400 naming the fields, nothing written', async (method, query, fields) => {
    const path = query.startsWith('?') ? `${company.base}${query}` : query;
    await expectRefused(method, path, undefined, fields as string[]);
    expect((await api(hr, 'GET', company.base)).status).toBe(200);
  });

  it('accepts a company at the limits: 200 characters, 50 admins', async () => {
    const body = newCompany({
      name: 'é'.repeat(200),
      adminEmails: Array.from({ length: 50 }, (_, i) => `admin${i}@acme.test`),
    });
    expect((await api(hr, 'POST', '/companies', body)).status).toBe(201);
    const over = newCompany({
      name: 'é'.repeat(201),
      adminEmails: Array.from({ length: 51 }, (_, i) => `admin${i}@acme.test`),
    });
    await expectRefused('POST', '/companies', over, ['name', 'adminEmails']);
  });

  it('answers malformed JSON with 400, and writes nothing', async () => {
    const before = await rowCounts(hr);
    const { status, body } = await api(
      hr,
      'POST',
      `${company.base}/employees`,
      '{"firstName": "Ada",',
      {
        raw: true,
      },
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({ statusCode: 400 });
    expect(await rowCounts(hr)).toEqual(before);
  });

  it('answers a 5,000-level nested body with 400 naming the nesting, and writes nothing', async () => {
    const before = await rowCounts(hr);
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    for (const body of [deep, `{"firstName":"Ada","attributes":${deep}}`, `[${deep}]`]) {
      const answer = await api(hr, 'POST', `${company.base}/employees`, body, { raw: true });
      expect(answer).toMatchObject({
        status: 400,
        body: { statusCode: 400, message: expect.stringMatching(/nested deeper than \d+ levels/) },
      });
    }
    expect(await rowCounts(hr)).toEqual(before);
  });

  it.each([
    ['page', '99999999999999999999'],
    ['page', '1e3'],
    ['page', '0x10'],
    ['page', '1000001'],
    ['page', '0'],
    ['pageSize', '1.5'],
    ['pageSize', '-1'],
    ['pageSize', '201'],
    ['pageSize', ''],
  ])('GET /employees?%s=%s: 400 naming the field', async (field, value) => {
    const { status, body } = await api(hr, 'GET', `${company.base}/employees?${field}=${value}`);
    expect(status).toBe(400);
    expect(Object.keys(body.details.fields)).toEqual([field]);
  });

  it('pages up to the highest page (an empty one)', async () => {
    const { status, body } = await api(
      hr,
      'GET',
      `${company.base}/employees?page=1000000&pageSize=200`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ items: [], page: 1_000_000, pageSize: 200 });
  });

  it('answers a huge body with 413, and writes nothing', async () => {
    const before = await rowCounts(hr);
    const body = JSON.stringify({ ...newHire(), attributes: { city: long(500_000) } });
    const answer = await api(hr, 'POST', `${company.base}/employees`, body, { raw: true });
    expect(answer).toMatchObject({
      status: 413,
      body: { statusCode: 413, error: 'PAYLOAD_TOO_LARGE' },
    });
    expect(await rowCounts(hr)).toEqual(before);
  });

  it('answers a route that does not exist 404 with the AppError body, as every other refusal', async () => {
    await expect(api(hr, 'GET', `${company.base}/nowhere`)).resolves.toEqual({
      status: 404,
      body: {
        statusCode: 404,
        error: 'NOT_FOUND',
        message: `Cannot GET ${company.base}/nowhere`,
        retryable: false,
      },
    });
  });

  it('accepts names in any script and with emoji, at the length limit', async () => {
    const { status, body } = await api(
      hr,
      'POST',
      `${company.base}/employees`,
      newHire({
        firstName: '李小龍 🥋 👩\u200D💻',
        lastName: `O'Brien-Ñúñez ${'é'.repeat(85)}`,
        language: 'zh',
      }),
    );
    expect(status).toBe(201);
    expect(body.firstName).toBe('李小龍 🥋 👩\u200D💻');
  });
});
