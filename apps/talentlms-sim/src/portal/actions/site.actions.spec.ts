import { ANN, BOB, SimUnderTest, startSim } from '../../testing/sim-harness';
import { SiteActions } from './site.actions';

const SEED = {
  site: { domain: 'acme.talentlms.com', dateFormat: 'YYYYMMDD', signupMethod: 'captcha' },
  branches: [{ name: 'emea' }],
  courses: [{ name: 'A' }, { name: 'B' }],
  users: [
    { ...ANN, createdAt: '2012-07-17T15:29:25Z' },
    { ...BOB, status: 'inactive' },
  ],
};

describe(SiteActions.name, () => {
  let sim: SimUnderTest;

  beforeAll(async () => {
    sim = await startSim({ SIM_PLAN: 'small' });
    expect((await sim.admin('POST', 'seed', SEED)).status).toBe(200);
  });
  afterAll(() => sim.close());

  it('describes the domain, with its date format', async () => {
    const { body } = await sim.api('siteinfo');
    expect(body).toEqual({
      total_users: '2',
      total_courses: '2',
      total_categories: '0',
      total_groups: '0',
      total_branches: '1',
      monthly_active_users: '1',
      signup_method: 'captcha',
      signup_type: 'direct',
      verification: 'captcha',
      paypal_email: '',
      domain_map: '',
      date_format: 'YYYYMMDD',
      limits: { maximum_brances: -1 },
    });
  });

  it('writes every date in the portal’s format', async () => {
    const ann = (await sim.api('users/id:1')).body;
    expect(ann.created_on).toBe('2012/07/17, 15:29:25');
    expect(ann.login_key).toMatch(
      /^https:\/\/acme\.talentlms\.com\/index\/autologin\/key:[0-9a-f]{31}$/,
    );
  });

  it('reports the rate limit without counting the call', async () => {
    await sim.api('users');
    const first = (await sim.api('ratelimit')).body;
    const second = (await sim.api('ratelimit')).body;
    expect(first).toEqual(second);
    expect(first).toMatchObject({ limit: '2000', remaining: '1997' });
    expect(first.formatted_reset).toMatch(/^\d{4}\/\d{2}\/\d{2}, \d{2}:\d{2}$/);
    expect(Number(first.reset)).toBeGreaterThan(Date.now() / 1000);
    const calls = (await sim.admin('GET', 'calls')).body;
    expect(calls.byEndpoint.ratelimit).toEqual({ '200': 2 });
  });

  describe.each([
    ['DDMMYYYY', '17/07/2012, 15:29:25', '17/07/2012', '07/17/2012'],
    ['MMDDYYYY', '07/17/2012, 15:29:25', '07/17/2012', '17/07/2012'],
    ['YYYYMMDD', '2012/07/17, 15:29:25', '2012/07/17', '17/07/2012'],
  ])('with SIM_DATE_FORMAT=%s', (format, createdOn, date, otherOrder) => {
    let portal: SimUnderTest;

    beforeAll(async () => {
      portal = await startSim({ SIM_DATE_FORMAT: format });
      await portal.admin('POST', 'seed', {
        customFields: [{ key: 'custom_field_1', name: 'hireDate', type: 'date' }],
        users: [{ ...SEED.users[0], id: 1 }],
      });
    });
    afterAll(() => portal.close());

    it('reports the format and writes dates in it', async () => {
      expect((await portal.api('siteinfo')).body.date_format).toBe(format);
      expect((await portal.api('users/id:1')).body.created_on).toBe(createdOn);
    });

    it('takes date custom fields in that format only', async () => {
      const edited = await portal.api('edituser', { form: { user_id: '1', custom_field_1: date } });
      expect(edited.body.custom_field_1).toBe(date);
      const refused = await portal.api('edituser', {
        form: { user_id: '1', custom_field_1: otherOrder },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toBe('Invalid arguments provided');
    });
  });
});
