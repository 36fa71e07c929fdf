import { randomUUID } from 'node:crypto';
import { api, createCompany, Hr, startHr, TestCompany } from './hr-harness';

/** `http_request_duration_seconds_count` per `METHOD route status`, from GET /metrics. */
async function answerCounts(hr: Hr): Promise<Map<string, number>> {
  const text = await (await fetch(`${hr.url}/metrics`)).text();
  const counts = new Map<string, number>();
  const line = /^http_request_duration_seconds_count\{(.*)\} (\d+)$/gm;
  for (const [, labels, value] of text.matchAll(line)) {
    const label = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(labels)?.[1];
    counts.set(`${label('method')} ${label('route')} ${label('status')}`, Number(value));
  }
  return counts;
}

describe('http_request_duration_seconds', () => {
  let hr: Hr;
  let company: TestCompany;

  beforeAll(async () => {
    hr = await startHr();
    company = await createCompany(hr);
  });
  afterAll(() => hr?.close());

  it('counts every answer under the status it really had, refusals included', async () => {
    const before = await answerCounts(hr);
    const answers = [
      await api(hr, 'GET', `${company.base}/employees/${randomUUID()}`), // 404
      await api(hr, 'POST', `${company.base}/employees`, {}), // 400
      await api(hr, 'GET', `${company.base}/employees?page=1e3`), // 400
      await api(hr, 'GET', `${company.base}/employees`, undefined, {
        headers: { authorization: 'Bearer no' },
      }),
      await api(hr, 'GET', `${company.base}/employees`), // 200
      await api(hr, 'POST', `${company.base}/employees`, '{"firstName":', { raw: true }), // 400 before routing
    ];
    expect(answers.map((a) => a.status)).toEqual([404, 400, 400, 401, 200, 400]);

    const after = await answerCounts(hr);
    const added = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
    const employees = '/companies/:companyId/employees';
    expect({
      notFound: added(`GET ${employees}/:id 404`),
      badBody: added(`POST ${employees} 400`),
      badPage: added(`GET ${employees} 400`),
      unauthorised: added(`GET ${employees} 401`),
      ok: added(`GET ${employees} 200`),
      malformed: added('POST unknown 400'), // refused before a route was matched
      wrongly200: added(`GET ${employees}/:id 200`),
    }).toEqual({
      notFound: 1,
      badBody: 1,
      badPage: 1,
      unauthorised: 1,
      ok: 1,
      malformed: 1,
      wrongly200: 0,
    });
  });
});
