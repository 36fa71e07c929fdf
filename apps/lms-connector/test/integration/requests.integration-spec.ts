import {
  CallBudgetResponse,
  CreateUserResponse,
  GetCourseResponse,
  ListCustomFieldsResponse,
  ListUsersResponse,
  LmsRequests,
  LmsUserResponse,
  parseMessage,
  UpdateUserResponse,
  VerifyPortalResponse,
} from '@talentsync/contracts';
import { SimulatorProcess } from '@talentsync/shared/testing';
import {
  Connector,
  countedCalls,
  Json,
  portalOf,
  rpc,
  rpcError,
  SEED,
  simCalls,
  startConnector,
} from './connector-harness';

describe('lms-connector requests against the TalentLMS simulator', () => {
  let sim: SimulatorProcess;
  let connector: Connector;
  const portal = (branch?: string) => portalOf(sim, connector, { branch });
  const simUser = async (email: string) =>
    (await sim.state()).users.find((u) => u.email.toLowerCase() === email.toLowerCase());

  /** The reply, checked against its contract class, and the calls the simulator counted for it. */
  async function call<T = Json>(subject: string, payload: object, contract?: new () => object) {
    await sim.resetCalls();
    const reply = await rpc<T & { callsSpent: number }>(connector, subject, payload);
    if (contract) expect(parseMessage(contract, reply)).toMatchObject({ ok: true });
    return { reply, counted: countedCalls(await simCalls(sim)) };
  }

  beforeAll(async () => {
    sim = await SimulatorProcess.start({ seed: SEED });
    connector = await startConnector();
  });
  beforeEach(() => sim.reset());
  afterAll(async () => {
    await connector?.close();
    await sim?.stop();
  });

  describe(LmsRequests.verifyPortal, () => {
    it('answers the canonical URL, date format, plan limit and branches', async () => {
      const { reply, counted } = await call(
        LmsRequests.verifyPortal,
        { portal: portal('1') },
        VerifyPortalResponse,
      );
      expect(reply).toEqual({
        portalUrl: sim.url,
        dateFormat: 'MMDDYYYY',
        rateLimit: expect.any(Number),
        branches: [
          { id: '1', name: 'emea', description: 'Europe' },
          { id: '2', name: 'apac' },
        ],
        branch: { id: '1', name: 'emea', description: 'Europe' },
        callsSpent: 2,
      });
      expect(counted).toBe(2);
    });
  });

  it(`${LmsRequests.listBranches}: every branch`, async () => {
    const { reply } = await call(LmsRequests.listBranches, { portal: portal('2') });
    expect(reply.items.map((b: Json) => b.name)).toEqual(['emea', 'apac']);
  });

  it(`${LmsRequests.listCustomFields}: fields and how each HR attribute matches`, async () => {
    const { reply, counted } = await call(
      LmsRequests.listCustomFields,
      { portal: portal() },
      ListCustomFieldsResponse,
    );
    expect(reply.fields).toEqual([
      { key: 'custom_field_1', name: 'hireDate', type: 'date', mandatory: false },
      { key: 'custom_field_2', name: 'city', type: 'text', mandatory: false },
      { key: 'custom_field_3', name: 'department', type: 'dropdown', mandatory: false },
      { key: 'custom_field_4', name: 'ssn', type: 'text', mandatory: false },
    ]);
    const outcome = Object.fromEntries(reply.matches.map((m: Json) => [m.attribute, m.outcome]));
    expect(outcome).toEqual({
      hireDate: 'matched',
      dateOfBirth: 'missing',
      ssn: 'matched',
      city: 'matched',
      country: 'missing',
      jobTitle: 'missing',
      department: 'type-mismatch',
      location: 'missing',
      division: 'missing',
    });
    // read fresh (and the date format too, on a cold cache)
    expect(counted).toBe(reply.callsSpent);

    const again = await call(LmsRequests.listCustomFields, { portal: portal() });
    expect(again).toMatchObject({ counted: 1, reply: { callsSpent: 1 } });
    const cached = await call(LmsRequests.listCustomFields, { portal: portal(), cached: true });
    expect(cached).toMatchObject({ counted: 0, reply: { callsSpent: 0, matches: reply.matches } });
  });

  describe(LmsRequests.listUsers, () => {
    it('lists the whole portal, normalised: ids, MMDDYYYY dates, language codes, matched fields', async () => {
      const { reply, counted } = await call<ListUsersResponse>(
        LmsRequests.listUsers,
        { portal: portal() },
        ListUsersResponse,
      );
      expect(reply).toMatchObject({ page: 1, pageSize: 100, hasMore: false });
      expect(reply.items.map((u) => u.id)).toEqual(['1', '2', '3']);
      expect(reply.items[1]).toEqual({
        id: '2',
        login: 'noah',
        firstName: 'Noah',
        lastName: 'Reed',
        email: 'noah@example.com',
        language: 'de',
        status: 'active',
        createdAt: '2023-03-24T11:46:36.000Z',
        // department is a dropdown: not an attribute of this portal
        attributes: { hireDate: '2020-02-01', city: 'Berlin', ssn: null },
      });
      expect(reply.items[2]).toMatchObject({
        status: 'inactive',
        attributes: { hireDate: null },
        invalidAttributes: { hireDate: expect.stringMatching(/custom_field_1: .*MMDDYYYY/) },
      });
      expect(counted).toBe(reply.callsSpent);
    });

    it('pages: hasMore while the page is full', async () => {
      const first = await rpc(connector, LmsRequests.listUsers, { portal: portal(), pageSize: 2 });
      const second = await rpc(connector, LmsRequests.listUsers, {
        portal: portal(),
        page: 2,
        pageSize: 2,
      });
      expect([first.items.length, first.hasMore, second.items.length, second.hasMore]).toEqual([
        2,
        true,
        1,
        false,
      ]);
    });

    it("with a branch, lists only the branch's members", async () => {
      const { reply } = await call(LmsRequests.listUsers, { portal: portal('1') });
      expect(reply.items.map((u: Json) => u.email)).toEqual(['noah@example.com']);
    });
  });

  describe(`${LmsRequests.getUser} / ${LmsRequests.findUserByEmail}`, () => {
    it('answers one user with courses, progress and branches, in one call', async () => {
      await call(LmsRequests.listCustomFields, { portal: portal() }); // warm the profile
      const { reply, counted } = await call<LmsUserResponse>(
        LmsRequests.getUser,
        { portal: portal('1'), id: '2' },
        LmsUserResponse,
      );
      expect(reply).toMatchObject({ inScope: true, callsSpent: 1 });
      expect(counted).toBe(1);
      expect(reply.user).toMatchObject({ id: '2', branchIds: ['1'] });
      expect(reply.user?.courses).toEqual([
        {
          courseId: '10',
          // A user's courses[] name a course with a code as "<name> (<code>)" on a real
          // portal (shared/reference/fixtures/user-detail.json), and now in the simulator.
          courseName: 'Onboarding (ONB)',
          userId: '2',
          role: 'learner',
          enrolledAt: '2023-03-25T09:00:00.000Z',
          completionStatus: 'completed',
          completionPercentage: 100,
          completedAt: '2023-03-26T10:00:00.000Z',
          totalTimeSeconds: 451,
        },
      ]);
    });

    it('says when the user is outside the branch, and null when there is none', async () => {
      const other = await rpc(connector, LmsRequests.getUser, { portal: portal('1'), id: '3' });
      expect(other).toMatchObject({ user: { id: '3' }, inScope: false });
      const none = await rpc(connector, LmsRequests.getUser, { portal: portal(), id: '999' });
      expect(none).toMatchObject({ user: null, inScope: false });
    });

    it('finds by e-mail without case, portal-wide', async () => {
      const found = await rpc(connector, LmsRequests.findUserByEmail, {
        portal: portal('1'),
        email: 'MINA@Example.com',
      });
      expect(found).toMatchObject({ user: { id: '3' }, inScope: false, callsSpent: 1 });
      const none = await rpc(connector, LmsRequests.findUserByEmail, {
        portal: portal(),
        email: 'nobody@example.com',
      });
      expect(none.user).toBeNull();
    });
  });

  describe(LmsRequests.createUser, () => {
    const ada = {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      language: 'fr',
      attributes: { hireDate: '2024-12-31', city: 'London', department: 'R&D', ssn: '123-45-6789' },
    };

    it('signs up in the branch, language as a code, matched attributes in the portal format', async () => {
      const { reply, counted } = await call<CreateUserResponse>(
        LmsRequests.createUser,
        { portal: portal('1'), user: ada },
        CreateUserResponse,
      );
      expect(reply).toMatchObject({
        user: { email: 'ada@example.com', language: 'fr', login: 'ada', status: 'active' },
        foundAfterAmbiguousFailure: false,
        skipped: [
          { field: 'department', reason: expect.stringMatching(/dropdown field, not text/) },
        ],
      });
      expect(counted).toBe(reply.callsSpent);
      const stored = await simUser('ada@example.com');
      expect(stored).toMatchObject({ branches: [1], language: 'French' });
      expect(stored?.customFields).toMatchObject({
        custom_field_1: '12/31/2024',
        custom_field_2: 'London',
        custom_field_4: '123-45-6789',
      });
      expect(stored?.customFields.custom_field_3 ?? null).toBeNull();
      // a branch list right after includes the new member
      const listed = await rpc(connector, LmsRequests.listUsers, { portal: portal('1') });
      expect(listed.items.map((u: Json) => u.email)).toContain('ada@example.com');
    });

    it('refuses an e-mail another user has, naming that user', async () => {
      const error = await rpcError(connector, LmsRequests.createUser, {
        portal: portal(),
        user: { ...ada, email: 'NOAH@example.com' },
      });
      expect(error).toMatchObject({
        code: 'LMS_DUPLICATE_EMAIL',
        retryable: false,
        details: { existingUserId: '2' },
      });
      expect((await sim.state()).users).toHaveLength(3);
    });

    it('picks another login when the one made from the e-mail is taken', async () => {
      const reply = await rpc(connector, LmsRequests.createUser, {
        portal: portal(),
        user: { ...ada, email: 'noah@elsewhere.com' },
      });
      expect(reply.user.login).toMatch(/^noah\d{4}$/);
    });
  });

  describe(LmsRequests.updateUser, () => {
    it('edits the given fields; null clears an attribute; unmatched ones are skipped', async () => {
      const { reply, counted } = await call<UpdateUserResponse>(
        LmsRequests.updateUser,
        {
          portal: portal(),
          id: '2',
          changes: {
            lastName: 'Reed-Smith',
            email: 'noah.rs@example.com',
            attributes: { city: null, hireDate: '2021-05-06', division: 'North' },
          },
        },
        UpdateUserResponse,
      );
      expect(reply.user).toMatchObject({
        lastName: 'Reed-Smith',
        email: 'noah.rs@example.com',
        attributes: { city: null, hireDate: '2021-05-06' },
      });
      expect(reply.skipped).toEqual([
        { field: 'division', reason: 'the portal has no custom user field named "division"' },
      ]);
      expect(counted).toBe(reply.callsSpent);
      const stored = await simUser('noah.rs@example.com');
      expect(stored?.customFields).toMatchObject({ custom_field_1: '05/06/2021' });
      expect(stored?.customFields.custom_field_2 || null).toBeNull();
    });

    it('refuses an unknown user and an e-mail taken by another', async () => {
      const unknown = await rpcError(connector, LmsRequests.updateUser, {
        portal: portal(),
        id: '999',
        changes: { firstName: 'X' },
      });
      expect(unknown).toMatchObject({ code: 'LMS_NOT_FOUND', retryable: false });
      const taken = await rpcError(connector, LmsRequests.updateUser, {
        portal: portal(),
        id: '2',
        changes: { email: 'mina@example.com' },
      });
      expect(taken).toMatchObject({ code: 'LMS_DUPLICATE_EMAIL' });
    });
  });

  it(`${LmsRequests.setUserStatus}: deactivates and reactivates`, async () => {
    const off = await rpc(connector, LmsRequests.setUserStatus, {
      portal: portal(),
      id: '2',
      status: 'inactive',
    });
    expect(off).toEqual({ id: '2', status: 'inactive', callsSpent: 1 });
    expect((await simUser('noah@example.com'))?.status).toBe('inactive');
    await rpc(connector, LmsRequests.setUserStatus, {
      portal: portal(),
      id: '2',
      status: 'active',
    });
    expect((await simUser('noah@example.com'))?.status).toBe('active');
  });

  describe('courses', () => {
    it(`${LmsRequests.listCourses}: every course, one call`, async () => {
      const { reply, counted } = await call(LmsRequests.listCourses, { portal: portal('1') });
      expect(reply.items).toEqual([
        { id: '10', name: 'Onboarding', code: 'ONB', status: 'active' },
        { id: '11', name: 'Safety', status: 'active' },
      ]);
      expect([reply.callsSpent, counted]).toEqual([1, 1]);
    });

    it(`${LmsRequests.getCourse}: users with progress; with a branch only its members`, async () => {
      const all = await call<GetCourseResponse>(
        LmsRequests.getCourse,
        { portal: portal(), id: '10' },
        GetCourseResponse,
      );
      expect(
        all.reply.course?.users?.map((u) => [u.userId, u.completionStatus, u.completionPercentage]),
      ).toEqual([
        ['2', 'completed', 100],
        ['3', 'incomplete', 40],
      ]);
      const emea = await rpc(connector, LmsRequests.getCourse, { portal: portal('1'), id: '10' });
      expect(emea.course.users.map((u: Json) => u.userId)).toEqual(['2']);
      const none = await rpc(connector, LmsRequests.getCourse, { portal: portal(), id: '999' });
      expect(none.course).toBeNull();
    });

    it(`${LmsRequests.enrolUser}: enrols; again is a success that says so`, async () => {
      const first = await rpc(connector, LmsRequests.enrolUser, {
        portal: portal(),
        userId: '2',
        courseId: '11',
      });
      expect(first).toEqual({
        userId: '2',
        courseId: '11',
        role: 'learner',
        alreadyEnrolled: false,
        callsSpent: 1,
      });
      const again = await rpc(connector, LmsRequests.enrolUser, {
        portal: portal(),
        userId: '2',
        courseId: '11',
      });
      expect(again).toMatchObject({ alreadyEnrolled: true });
      const enrolments = (await sim.state()).enrolments.filter((e) => e.userId === 2);
      expect(enrolments.map((e) => e.courseId).sort()).toEqual([10, 11]);
    });
  });

  it(`${LmsRequests.callBudget}: the shared budget and circuit of the portal, for free`, async () => {
    await rpc(connector, LmsRequests.listBranches, { portal: portal() });
    const { reply, counted } = await call<CallBudgetResponse>(
      LmsRequests.callBudget,
      { portal: portal() },
      CallBudgetResponse,
    );
    expect(reply).toMatchObject({
      host: new URL(sim.url).host,
      perHour: { limit: expect.any(Number), remaining: expect.any(Number) },
      shortWindow: { limit: 200, used: expect.any(Number) },
      circuit: { state: 'closed', consecutiveFailures: 0, openUntil: null },
      callsSpent: 0,
    });
    expect(reply.shortWindow.used).toBeGreaterThanOrEqual(1);
    expect(counted).toBe(0);
  });

  it('counts calls by endpoint and outcome in /metrics, and lists budgets for operators', async () => {
    await rpc(connector, LmsRequests.getUser, { portal: portal(), id: '999' });
    const metrics = await (await fetch(`${connector.url}/metrics`)).text();
    expect(metrics).toMatch(
      /talentlms_calls_total\{endpoint="users\/id",outcome="LMS_NOT_FOUND"\} [1-9]/,
    );
    expect(metrics).toMatch(/talentlms_calls_total\{endpoint="siteinfo",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(
      /talentlms_call_duration_seconds_bucket\{le="0.05",endpoint="users\/id"\}/,
    );

    const budgets = await fetch(`${connector.url}/budgets`, {
      headers: { authorization: `Bearer ${connector.env.apiToken}` },
    });
    expect(budgets.status).toBe(200);
    expect(((await budgets.json()) as Json).items).toEqual([
      expect.objectContaining({ host: new URL(sim.url).host, circuit: expect.any(Object) }),
    ]);
    expect((await fetch(`${connector.url}/budgets`)).status).toBe(401);
  });
});
