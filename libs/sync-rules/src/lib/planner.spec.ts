import type { EmployeeRecord, LmsUser, SyncDirection } from '@talentsync/contracts';
import { planSync, safetyBrake } from './planner';
import { employee, input, lmsUser } from './test-data';
import type { EmployeeLink, LmsWritePayload, HrWritePayload, PlanInput, PlanItem } from './types';

/** The plan reduced to what a test checks: action and the ids and fields involved. */
const brief = (items: PlanItem[]) =>
  items.map((i) => ({
    action: i.action,
    employeeId: i.employeeId,
    lmsUserId: i.lmsUserId,
    fields: i.changes.map((c) => c.field),
  }));

const writes = (items: PlanItem[]) =>
  items.filter((i) => i.action !== 'skip' && i.action !== 'link');

interface Case {
  name: string;
  direction: SyncDirection;
  employees?: EmployeeRecord[];
  users?: LmsUser[];
  links?: EmployeeLink[];
  extra?: Partial<PlanInput>;
  expected: ReturnType<typeof brief>;
  reason?: RegExp;
}

const linked = (employeeId: string, lmsUserId: string): EmployeeLink => ({ employeeId, lmsUserId });

const cases: Case[] = [
  // ---- HR -> LMS --------------------------------------------------------------------------
  {
    name: 'HR->LMS: an active employee with no LMS user is created, with matched attributes only',
    direction: 'hr-to-lms',
    employees: [
      employee('e1', { attributes: { city: 'Oslo', department: 'Sales', jobTitle: 'Dev' } }),
    ],
    expected: [
      {
        action: 'create-lms-user',
        employeeId: 'e1',
        lmsUserId: undefined,
        fields: ['firstName', 'lastName', 'email', 'language', 'city', 'hireDate'],
      },
    ],
  },
  {
    name: 'HR->LMS: a linked employee whose last name changed is updated',
    direction: 'hr-to-lms',
    employees: [employee('e1', { lastName: 'Changed' })],
    users: [lmsUser('7', 'e1', { attributes: { hireDate: '2020-01-15' } })],
    links: [linked('e1', '7')],
    expected: [
      { action: 'update-lms-user', employeeId: 'e1', lmsUserId: '7', fields: ['lastName'] },
    ],
  },
  {
    name: 'HR->LMS: a match by e-mail in another case, with nothing to change, is only linked',
    direction: 'hr-to-lms',
    employees: [employee('e1', { email: 'E1@Example.COM' })],
    users: [lmsUser('7', 'e1', { attributes: { hireDate: '2020-01-15' } })],
    expected: [{ action: 'link', employeeId: 'e1', lmsUserId: '7', fields: [] }],
  },
  {
    name: 'HR->LMS: a terminated employee with an active LMS user is deactivated',
    direction: 'hr-to-lms',
    employees: [employee('e1', { status: 'terminated', terminationDate: '2026-11-01' })],
    users: [lmsUser('7', 'e1')],
    links: [linked('e1', '7')],
    expected: [
      { action: 'deactivate-lms-user', employeeId: 'e1', lmsUserId: '7', fields: ['status'] },
    ],
  },
  {
    name: 'HR->LMS: a deleted employee matched by e-mail is deactivated (and linked)',
    direction: 'hr-to-lms',
    employees: [employee('e1', { status: 'deleted' })],
    users: [lmsUser('7', 'e1')],
    expected: [
      { action: 'deactivate-lms-user', employeeId: 'e1', lmsUserId: '7', fields: ['status'] },
    ],
  },
  {
    name: 'HR->LMS: a terminated employee without an LMS user is ignored, with a reason',
    direction: 'hr-to-lms',
    employees: [employee('e1', { status: 'terminated' })],
    expected: [{ action: 'skip', employeeId: 'e1', lmsUserId: undefined, fields: [] }],
    reason: /terminated in HR and not in TalentLMS/,
  },
  {
    name: 'HR->LMS: a terminated employee whose LMS user is already inactive needs nothing',
    direction: 'hr-to-lms',
    employees: [employee('e1', { status: 'terminated' })],
    users: [lmsUser('7', 'e1', { status: 'inactive' })],
    links: [linked('e1', '7')],
    expected: [],
  },
  {
    name: 'HR->LMS: a rehired employee reactivates the inactive LMS user, never a second account',
    direction: 'hr-to-lms',
    employees: [employee('e1', { lastName: 'Rehired', hireDate: '2026-11-01' })],
    users: [lmsUser('7', 'e1', { status: 'inactive', attributes: { hireDate: '2020-01-15' } })],
    links: [linked('e1', '7')],
    expected: [
      {
        action: 'reactivate-lms-user',
        employeeId: 'e1',
        lmsUserId: '7',
        fields: ['status', 'lastName', 'hireDate'],
      },
    ],
  },
  {
    name: "HR->LMS: a rehire recorded as a new employee takes over the old employee's LMS account",
    direction: 'hr-to-lms',
    employees: [
      employee('old', { status: 'deleted', email: 'same@example.com' }),
      employee('new', { email: 'same@example.com', firstName: 'Firstold', lastName: 'Lastold' }),
    ],
    users: [
      lmsUser('7', 'old', {
        status: 'inactive',
        email: 'same@example.com',
        attributes: { hireDate: '2020-01-15' },
      }),
    ],
    links: [linked('old', '7')],
    expected: [
      { action: 'reactivate-lms-user', employeeId: 'new', lmsUserId: '7', fields: ['status'] },
      { action: 'skip', employeeId: 'old', lmsUserId: undefined, fields: [] },
    ],
  },
  {
    name: 'HR->LMS: someone who exists on the portal outside the branch is not created twice',
    direction: 'hr-to-lms',
    employees: [employee('e1')],
    extra: {
      settings: { direction: 'hr-to-lms', branch: '3' },
      outOfScopeUsers: [lmsUser('9', 'e1')],
    },
    expected: [{ action: 'skip', employeeId: 'e1', lmsUserId: '9', fields: [] }],
    reason: /outside branch 3/,
  },
  {
    name: 'HR->LMS: LMS users that match no employee are left alone',
    direction: 'hr-to-lms',
    users: [lmsUser('7', 'stranger')],
    expected: [],
  },
  {
    name: 'HR->LMS: a stored link wins over an e-mail match',
    direction: 'hr-to-lms',
    employees: [employee('e1', { email: 'shared@example.com' })],
    users: [
      lmsUser('7', 'e1', { email: 'other@example.com', attributes: { hireDate: '2020-01-15' } }),
      lmsUser('8', 'x', { email: 'shared@example.com' }),
    ],
    links: [linked('e1', '7')],
    expected: [{ action: 'update-lms-user', employeeId: 'e1', lmsUserId: '7', fields: ['email'] }],
  },
  // ---- LMS -> HR --------------------------------------------------------------------------
  {
    name: 'LMS->HR: an active LMS user with no employee becomes one, hire date from the hireDate field',
    direction: 'lms-to-hr',
    users: [lmsUser('7', 'n1', { attributes: { hireDate: '2019-05-06', city: 'Rome' } })],
    expected: [
      {
        action: 'create-hr-employee',
        employeeId: undefined,
        lmsUserId: '7',
        fields: ['firstName', 'lastName', 'email', 'language', 'city', 'hireDate'],
      },
    ],
    reason: /hire date from the hireDate field/,
  },
  {
    name: 'LMS->HR: an invalid hireDate falls back to the LMS creation date',
    direction: 'lms-to-hr',
    users: [
      lmsUser('7', 'n1', {
        attributes: { hireDate: null },
        invalidAttributes: { hireDate: '"31/31/2020" is not a date' },
      }),
    ],
    expected: [
      {
        action: 'create-hr-employee',
        employeeId: undefined,
        lmsUserId: '7',
        fields: ['firstName', 'lastName', 'email', 'language', 'hireDate'],
      },
    ],
    reason: /creation date .*unreadable/,
  },
  {
    name: 'LMS->HR: no hireDate and no creation date: skipped, saying why',
    direction: 'lms-to-hr',
    users: [lmsUser('7', 'n1', { createdAt: null })],
    expected: [{ action: 'skip', employeeId: undefined, lmsUserId: '7', fields: [] }],
    reason: /no hire date/,
  },
  {
    name: "LMS->HR: a matching employee is updated from LMS; an unknown LMS language keeps HR's",
    direction: 'lms-to-hr',
    employees: [employee('e1')],
    users: [
      lmsUser('7', 'e1', {
        firstName: 'Renamed',
        language: null,
        attributes: { hireDate: '2020-01-15', city: 'Rome' },
      }),
    ],
    links: [linked('e1', '7')],
    expected: [
      {
        action: 'update-hr-employee',
        employeeId: 'e1',
        lmsUserId: '7',
        fields: ['firstName', 'city'],
      },
    ],
  },
  {
    name: "LMS->HR: an empty hireDate field in LMS keeps HR's hire date (HR requires one): nothing to change",
    direction: 'lms-to-hr',
    employees: [employee('e1', { status: 'terminated' })],
    users: [lmsUser('7', 'e1', { attributes: { city: null } })],
    links: [linked('e1', '7')],
    expected: [],
  },
  {
    name: 'LMS->HR: inactive LMS users are not synced',
    direction: 'lms-to-hr',
    users: [lmsUser('7', 'n1', { status: 'inactive' })],
    expected: [{ action: 'skip', employeeId: undefined, lmsUserId: '7', fields: [] }],
    reason: /inactive in TalentLMS/,
  },
  {
    name: 'LMS->HR: a terminated person is never re-created from their LMS account',
    direction: 'lms-to-hr',
    employees: [employee('e1', { status: 'terminated' })],
    users: [
      lmsUser('7', 'e1', { email: 'E1@example.com', attributes: { hireDate: '2020-01-15' } }),
    ],
    expected: [{ action: 'link', employeeId: 'e1', lmsUserId: '7', fields: [] }],
  },
  {
    name: 'LMS->HR: a deleted employee is not updated from LMS',
    direction: 'lms-to-hr',
    employees: [employee('e1', { status: 'deleted' })],
    users: [lmsUser('7', 'e1', { firstName: 'New' })],
    links: [linked('e1', '7')],
    expected: [{ action: 'skip', employeeId: 'e1', lmsUserId: '7', fields: [] }],
    reason: /deleted in HR/,
  },
  {
    name: "LMS->HR: a second LMS account with a linked employee's e-mail creates no duplicate employee",
    direction: 'lms-to-hr',
    employees: [employee('e1')],
    users: [
      lmsUser('7', 'e1', { email: 'old@example.com', attributes: { hireDate: '2020-01-15' } }),
      lmsUser('8', 'e1'),
    ],
    links: [linked('e1', '7')],
    expected: [
      { action: 'update-hr-employee', employeeId: 'e1', lmsUserId: '7', fields: ['email'] },
      { action: 'skip', employeeId: undefined, lmsUserId: '8', fields: [] },
    ],
  },
  {
    name: 'LMS->HR: employees without an LMS user are left alone',
    direction: 'lms-to-hr',
    employees: [employee('e1')],
    expected: [],
  },
  // ---- two-way ----------------------------------------------------------------------------
  {
    name: 'two-way: new people on each side are created on the other',
    direction: 'two-way',
    employees: [employee('e1')],
    users: [lmsUser('7', 'n1')],
    expected: [
      {
        action: 'create-hr-employee',
        employeeId: undefined,
        lmsUserId: '7',
        fields: ['firstName', 'lastName', 'email', 'language', 'hireDate'],
      },
      {
        action: 'create-lms-user',
        employeeId: 'e1',
        lmsUserId: undefined,
        fields: ['firstName', 'lastName', 'email', 'language', 'hireDate'],
      },
      // The hire date HR took from the creation date goes back, so the next run writes nothing.
      { action: 'update-lms-user', employeeId: undefined, lmsUserId: '7', fields: ['hireDate'] },
    ],
  },
  {
    name: 'two-way: an unreadable hireDate is replaced in LMS by the one the new employee got',
    direction: 'two-way',
    users: [
      lmsUser('7', 'n1', {
        attributes: { hireDate: null },
        invalidAttributes: { hireDate: '"31/02/2021" is not a date' },
      }),
    ],
    expected: [
      {
        action: 'create-hr-employee',
        employeeId: undefined,
        lmsUserId: '7',
        fields: ['firstName', 'lastName', 'email', 'language', 'hireDate'],
      },
      { action: 'update-lms-user', employeeId: undefined, lmsUserId: '7', fields: ['hireDate'] },
    ],
    reason: /hireDate written back to TalentLMS/,
  },
  {
    name: 'two-way: a new employee from a user with a valid hireDate and a known language writes nothing back',
    direction: 'two-way',
    users: [lmsUser('7', 'n1', { attributes: { hireDate: '2019-05-05', city: 'Rome' } })],
    expected: [
      {
        action: 'create-hr-employee',
        employeeId: undefined,
        lmsUserId: '7',
        fields: ['firstName', 'lastName', 'email', 'language', 'city', 'hireDate'],
      },
    ],
  },
  {
    name: 'two-way: the fallback language a new employee got is written back too',
    direction: 'two-way',
    users: [lmsUser('7', 'n1', { language: null, attributes: { hireDate: '2019-05-05' } })],
    expected: [
      {
        action: 'create-hr-employee',
        employeeId: undefined,
        lmsUserId: '7',
        fields: ['firstName', 'lastName', 'email', 'language', 'hireDate'],
      },
      { action: 'update-lms-user', employeeId: undefined, lmsUserId: '7', fields: ['language'] },
    ],
  },
  {
    name: 'lms-to-hr: the hire date HR chose is never written to LMS (one way only)',
    direction: 'lms-to-hr',
    users: [lmsUser('7', 'n1')],
    expected: [
      {
        action: 'create-hr-employee',
        employeeId: undefined,
        lmsUserId: '7',
        fields: ['firstName', 'lastName', 'email', 'language', 'hireDate'],
      },
    ],
  },
  {
    name: 'two-way: differences go HR -> LMS only; employees are never updated from LMS',
    direction: 'two-way',
    employees: [employee('e1', { lastName: 'HrName' })],
    users: [lmsUser('7', 'e1', { lastName: 'LmsName', attributes: { hireDate: '2020-01-15' } })],
    links: [linked('e1', '7')],
    expected: [
      { action: 'update-lms-user', employeeId: 'e1', lmsUserId: '7', fields: ['lastName'] },
    ],
  },
  {
    name: 'two-way: terminated employees are deactivated in LMS, and not re-created in HR',
    direction: 'two-way',
    employees: [employee('e1', { status: 'terminated' })],
    users: [lmsUser('7', 'e1')],
    links: [linked('e1', '7')],
    expected: [
      { action: 'deactivate-lms-user', employeeId: 'e1', lmsUserId: '7', fields: ['status'] },
    ],
  },
];

describe(planSync.name, () => {
  it.each(cases)(
    '$name',
    ({ direction, employees = [], users = [], links = [], extra = {}, expected, reason }) => {
      const sut = planSync(
        input({
          settings: { direction, branch: 'all' },
          employees,
          lmsUsers: users,
          links,
          ...extra,
        }),
      );
      expect(brief(sut.items)).toEqual(expected);
      if (reason) expect(sut.items.map((i) => i.reason).join('\n')).toMatch(reason);
    },
  );

  it('creates LMS users in the chosen branch and links them once created', () => {
    const sut = planSync(
      input({ settings: { direction: 'hr-to-lms', branch: '3' }, employees: [employee('e1')] }),
    );
    expect(sut.items[0]).toMatchObject({
      action: 'create-lms-user',
      link: true,
      payload: { branch: '3' },
    });
  });

  it('masks SSNs in changes while the payload keeps what must be written', () => {
    const sut = planSync(
      input({
        employees: [employee('e1', { attributes: { ssn: '123-45-6789' } })],
        lmsUsers: [
          lmsUser('7', 'e1', { attributes: { hireDate: '2020-01-15', ssn: '999-99-0000' } }),
        ],
        links: [linked('e1', '7')],
      }),
    );
    const [item] = sut.items;
    expect(item.changes).toEqual([{ field: 'ssn', before: '***-**-0000', after: '***-**-6789' }]);
    expect(JSON.stringify({ ...item, payload: undefined })).not.toMatch(/123-45|999-99/);
    expect((item.payload as LmsWritePayload).fields.attributes).toEqual({ ssn: '123-45-6789' });
  });

  it('gives HR-shaped data to an employee creation: hire date at the top, language defaulted', () => {
    const sut = planSync(
      input({
        settings: { direction: 'lms-to-hr', branch: 'all' },
        lmsUsers: [
          lmsUser('7', 'n1', {
            language: null,
            attributes: { hireDate: '2019-05-06', city: 'Rome' },
          }),
        ],
      }),
    );
    expect(sut.items[0].payload as HrWritePayload).toEqual({
      sourceLmsUserId: '7',
      fields: {
        firstName: 'Firstn1',
        lastName: 'Lastn1',
        email: 'n1@example.com',
        language: 'en',
        hireDate: '2019-05-06',
        attributes: { city: 'Rome', ssn: null },
      },
    });
    expect(sut.items[0].reason).toMatch(/language unknown, set to en/);
  });

  it.each<SyncDirection>(['hr-to-lms', 'lms-to-hr', 'two-way'])(
    '%s: a second plan over sides that agree writes nothing',
    (direction) => {
      const employees = [
        employee('e1', { attributes: { city: 'Oslo' } }),
        employee('e2', { status: 'terminated' }),
      ];
      const users = [
        lmsUser('7', 'e1', { attributes: { hireDate: '2020-01-15', city: 'Oslo' } }),
        lmsUser('8', 'e2', { status: 'inactive', attributes: { hireDate: '2020-01-15' } }),
      ];
      const sut = planSync(
        input({
          settings: { direction, branch: 'all' },
          employees,
          lmsUsers: users,
          links: [linked('e1', '7'), linked('e2', '8')],
        }),
      );
      expect(writes(sut.items)).toEqual([]);
      expect(sut.counts.lms).toMatchObject({ created: 0, updated: 0, deactivated: 0 });
      expect(sut.counts.hr).toMatchObject({ created: 0, updated: 0 });
    },
  );

  it('says once per run why an attribute is not synced', () => {
    const sut = planSync(input({ employees: [employee('e1'), employee('e2')] }));
    expect(sut.attributeNotes).toEqual([
      { attribute: 'department', reason: 'custom field "department" is a dropdown, not text' },
      {
        attribute: 'jobTitle',
        reason: 'no custom field named "jobTitle" (names are case-sensitive; found "JobTitle")',
      },
    ]);
  });

  it('counts what it plans per side', () => {
    const sut = planSync(
      input({
        settings: { direction: 'two-way', branch: 'all' },
        employees: [
          employee('new'),
          employee('changed', { lastName: 'X' }),
          employee('gone', { status: 'deleted' }),
          employee('never', { status: 'terminated' }),
        ],
        lmsUsers: [
          lmsUser('1', 'changed'),
          lmsUser('2', 'gone'),
          lmsUser('3', 'fresh', { attributes: { hireDate: '2021-06-01' } }),
          lmsUser('4', 'idle', { status: 'inactive' }),
        ],
        links: [linked('changed', '1'), linked('gone', '2')],
      }),
    );
    expect(sut.counts).toEqual({
      lms: { created: 1, updated: 1, deactivated: 1, skipped: 1, failed: 0 },
      hr: { created: 1, updated: 0, deactivated: 0, skipped: 1, failed: 0 },
    });
  });

  it('plans the same whatever the input order', () => {
    const employees = [
      employee('a'),
      employee('b', { status: 'terminated' }),
      employee('c', { lastName: 'Z' }),
    ];
    const users = [lmsUser('1', 'b'), lmsUser('2', 'c'), lmsUser('3', 'z')];
    const plan = (e: EmployeeRecord[], u: LmsUser[]) =>
      planSync(
        input({ settings: { direction: 'two-way', branch: 'all' }, employees: e, lmsUsers: u }),
      ).items;
    expect(plan([...employees].reverse(), [...users].reverse())).toEqual(plan(employees, users));
  });

  it('single scope: plans for the given employee and leaves unrelated LMS users alone', () => {
    const sut = planSync(
      input({
        settings: { direction: 'lms-to-hr', branch: 'all' },
        scope: 'single',
        employees: [employee('e1')],
        lmsUsers: [
          lmsUser('7', 'e1', { lastName: 'New', attributes: { hireDate: '2020-01-15' } }),
          lmsUser('8', 'stranger'),
        ],
        links: [linked('e1', '7')],
      }),
    );
    expect(brief(sut.items)).toEqual([
      { action: 'update-hr-employee', employeeId: 'e1', lmsUserId: '7', fields: ['lastName'] },
    ]);
  });

  describe('safety brake', () => {
    const planWith = (linkedCount: number, terminated: number, extra: Partial<PlanInput> = {}) => {
      const employees = Array.from({ length: linkedCount }, (_, i) =>
        employee(`e${i}`, { status: i < terminated ? 'terminated' : 'active' }),
      );
      const users = employees.map((e, i) =>
        lmsUser(`${i}`, e.id, { attributes: { hireDate: '2020-01-15' } }),
      );
      return planSync(
        input({
          employees,
          lmsUsers: users,
          links: employees.map((e, i) => linked(e.id, `${i}`)),
          ...extra,
        }),
      );
    };

    it('counts the deactivations of the plan against the LMS users it linked', () => {
      expect(planWith(60, 12).brake).toEqual({
        deactivations: 12,
        linkedUsers: 60,
        share: 0.2,
        limit: 0.2,
        min: 10,
        needsApproval: false,
      });
    });

    it('holds a full run over both the share and the count (defaults 20% and 10)', () => {
      expect(planWith(50, 11).brake).toMatchObject({
        deactivations: 11,
        share: 0.22,
        needsApproval: true,
      });
    });

    it('lets a company of four terminate one (25% but a single person)', () => {
      expect(planWith(4, 1).brake).toMatchObject({ share: 0.25, needsApproval: false });
    });

    it('never holds a single-person sync', () => {
      expect(planWith(20, 20, { scope: 'single', deactivationMin: 0 }).brake.needsApproval).toBe(
        false,
      );
    });

    it('honours a configured limit and minimum', () => {
      expect(planWith(10, 3, { deactivationLimit: 0.2, deactivationMin: 2 }).brake).toMatchObject({
        limit: 0.2,
        min: 2,
        needsApproval: true,
      });
      expect(planWith(10, 3, { deactivationLimit: 0.5, deactivationMin: 0 }).brake).toMatchObject({
        limit: 0.5,
        min: 0,
        needsApproval: false,
      });
    });
  });

  describe(safetyBrake.name, () => {
    it.each`
      deactivations | linked | limit   | min   | scope       | holds
      ${0}          | ${0}   | ${0.2}  | ${10} | ${'full'}   | ${false}
      ${0}          | ${5}   | ${0}    | ${0}  | ${'full'}   | ${false}
      ${1}          | ${4}   | ${0.2}  | ${10} | ${'full'}   | ${false}
      ${10}         | ${20}  | ${0.2}  | ${10} | ${'full'}   | ${false}
      ${11}         | ${20}  | ${0.2}  | ${10} | ${'full'}   | ${true}
      ${11}         | ${55}  | ${0.2}  | ${10} | ${'full'}   | ${false}
      ${12}         | ${55}  | ${0.2}  | ${10} | ${'full'}   | ${true}
      ${1}          | ${4}   | ${0.2}  | ${0}  | ${'full'}   | ${true}
      ${1}          | ${4}   | ${0.25} | ${0}  | ${'full'}   | ${false}
      ${500}        | ${500} | ${0.2}  | ${10} | ${'single'} | ${false}
      ${3}          | ${0}   | ${0.2}  | ${2}  | ${'full'}   | ${true}
    `(
      '$deactivations of $linked linked, limit $limit, min $min, $scope: holds=$holds',
      ({ deactivations, linked: linkedUsers, limit, min, scope, holds }) => {
        const sut = safetyBrake(deactivations, linkedUsers, { limit, min, scope });
        expect(sut.needsApproval).toBe(holds);
      },
    );

    it('reports the share it judged (0 when nobody is linked)', () => {
      expect(safetyBrake(3, 12).share).toBe(0.25);
      expect(safetyBrake(3, 0).share).toBe(0);
    });
  });
});
