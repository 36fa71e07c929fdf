import { HrRequests } from '@talentsync/contracts';
import {
  api,
  createCompany,
  EventRecorder,
  Hr,
  newHire,
  rpc,
  startHr,
  TestCompany,
} from './hr-harness';

const SSN = '321-54-9876';

/**
 * Everything the service writes to stdout, at the most talkative log level, while it handles
 * an SSN and an e-mail over every interface.
 */
describe('SSNs and e-mails stay out of logs and events', () => {
  let hr: Hr;
  let events: EventRecorder;
  let company: TestCompany;
  const written: string[] = [];
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    spies.push(
      jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
        written.push(String(chunk));
        return true;
      }),
    );
    hr = await startHr({ LOG_LEVEL: 'trace' });
    events = await new EventRecorder(hr).start();
    company = await createCompany(hr);
  });
  afterAll(async () => {
    events?.stop();
    await hr?.close();
    for (const spy of spies) spy.mockRestore();
  });

  it('logs requests, but never the SSN or the e-mail address', async () => {
    const body = newHire({ attributes: { ssn: SSN } });
    const hired = await api(hr, 'POST', `${company.base}/employees`, body);
    expect(hired.status).toBe(201);
    await api(hr, 'PATCH', `${company.base}/employees/${hired.body.id}`, {
      attributes: { ssn: '111-22-3333' },
    });
    await api(hr, 'POST', `${company.base}/employees`, newHire({ email: body.email })); // 409
    await api(hr, 'POST', `${company.base}/employees`, {
      ...newHire(),
      attributes: { ssn: 'bad' },
    }); // 400
    await rpc(hr, HrRequests.getEmployee, { companyId: company.id, id: hired.body.id });
    await rpc(hr, HrRequests.listEmployees, { companyId: company.id });
    await rpc(hr, HrRequests.upsertFromLms, {
      companyId: company.id,
      employeeId: hired.body.id,
      sourceLmsUserId: '9',
      attributes: { ssn: SSN },
    });
    await events.expectCount(hired.body.id, 3);

    const logs = written.join('');
    expect(logs).toMatch(/"req":\{[^}]*"url":"\/companies\/[^"]*\/employees/); // the capture works: requests are logged
    for (const secret of [SSN, '9876', '111-22-3333', body.email, hr.env.apiToken]) {
      expect(logs).not.toContain(secret);
    }
    const raw = events
      .forEmployee(hired.body.id)
      .map((e) => e.raw)
      .join('\n');
    expect(raw).not.toMatch(/9876|3333|"ssn":/); // "ssn" may be named in changedFields, never keyed
  });
});
