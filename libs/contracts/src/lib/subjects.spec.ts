import {
  CompanyEvents,
  EmployeeEvents,
  eventGroupFilter,
  eventSubject,
  IntegrationEvents,
  isSingleCompanySubject,
  singleCompanyGroupFilter,
  SyncRunEvents,
  type EventGroup,
} from './subjects';

const C = '3f6a2b1c-7d4e-4a5b-8c9d-0e1f2a3b4c5d';

/** A NATS filter match, enough for these subjects: `*` one token, `>` one or more at the end. */
function matches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}

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
          expect([type, matches(filter, eventSubject(type, C))]).toEqual([type, other === group]);
    },
  );

  it('takes none of the subjects without a company the single-company release used', () => {
    for (const group of everyGroup)
      for (const type of Object.values(group))
        expect([type, matches(eventGroupFilter(group), type)]).toEqual([type, false]);
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
