import {
  CompanyEvents,
  EmployeeEvents,
  eventGroupFilter,
  eventSubject,
  IntegrationEvents,
  isSingleCompanySubject,
  singleCompanyGroupFilter,
  subjectMatches,
  SyncRunEvents,
  type EventGroup,
} from './subjects';

const C = '3f6a2b1c-7d4e-4a5b-8c9d-0e1f2a3b4c5d';

const groups: [string, EventGroup, string, string, string][] = [
  ['EmployeeEvents', EmployeeEvents, 'employee.*.>', `employee.${C}.>`, 'employee.>'],
  ['SyncRunEvents', SyncRunEvents, 'sync.*.run.>', `sync.${C}.run.>`, 'sync.run.>'],
  [
    'IntegrationEvents',
    IntegrationEvents,
    'sync.*.integration.>',
    `sync.${C}.integration.>`,
    'sync.integration.>',
  ],
  ['CompanyEvents', CompanyEvents, 'company.*.>', `company.${C}.>`, 'company.>'],
];
const everyGroup = groups.map(([, group]) => group);

describe('eventGroupFilter', () => {
  it.each(groups)('%s: every company, one company', (_name, group, any, one) => {
    expect(eventGroupFilter(group)).toBe(any);
    expect(eventGroupFilter(group, C)).toBe(one);
  });

  it.each(groups)(
    "%s: takes every type of its group on any company's subject, and no other group's",
    (_name, group) => {
      const filter = eventGroupFilter(group);
      for (const other of everyGroup)
        for (const type of Object.values(other))
          expect([type, subjectMatches(filter, eventSubject(type, C))]).toEqual([
            type,
            other === group,
          ]);
    },
  );

  it('takes none of the subjects without a company the single-company release used', () => {
    for (const group of everyGroup)
      for (const type of Object.values(group))
        expect([type, subjectMatches(eventGroupFilter(group), type)]).toEqual([type, false]);
  });

  it('refuses an empty group (it would filter nothing, or everything)', () => {
    expect(() => eventGroupFilter({})).toThrow(/at least one type/);
  });
});

describe('singleCompanyGroupFilter', () => {
  it.each(groups)('%s: the filter of the release before companies', (_name, group, ...rest) => {
    expect(singleCompanyGroupFilter(group)).toBe(rest[2]);
  });

  it('names the old subjects of its group as such, and no wire subject of today', () => {
    expect(isSingleCompanySubject(EmployeeEvents, 'employee.hired')).toBe(true);
    expect(isSingleCompanySubject(EmployeeEvents, eventSubject('employee.hired', C))).toBe(false);
    expect(isSingleCompanySubject(SyncRunEvents, 'employee.hired')).toBe(false);
  });
});

describe(subjectMatches.name, () => {
  it.each([
    ['employee.*.>', `employee.${C}.hired`, true],
    ['employee.*.>', 'employee.hired', false],
    ['employee.>', 'employee.hired', true],
    ['employee.>', 'employee', false],
    ['sync.*.run.>', `sync.${C}.run.completed`, true],
    ['sync.*.run.>', `sync.${C}.integration.alerted`, false],
    ['sync.*.integration.alerted', `sync.${C}.integration.alerted`, true],
    ['sync.*.integration.alerted', `sync.${C}.integration.alerted.again`, false],
    ['sync.run.>', 'sync.run.completed', true],
    ['a.>.b', 'a.>.b', true],
  ])('%s takes %s: %s', (filter, subject, takes) => {
    expect(subjectMatches(filter, subject)).toBe(takes);
  });
});
