import { parseEvent } from './catalogue';
import { parseMessage } from './validation';

/** A change to a valid fixture and the field whose error it must produce. */
export interface Breakage {
  name: string;
  mutate: (message: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
  expectError: RegExp;
}

const common: Breakage[] = [
  {
    name: 'eventId that is not a UUID',
    mutate: (m) => (m.eventId = 'abc'),
    expectError: /^eventId:/,
  },
  { name: 'version 0', mutate: (m) => (m.version = 0), expectError: /^version:/ },
  {
    name: 'occurredAt that is not ISO 8601',
    mutate: (m) => (m.occurredAt = 'yesterday'),
    expectError: /^occurredAt:/,
  },
  { name: 'wrong type', mutate: (m) => (m.type = 'employee.promoted'), expectError: /^type:/ },
  { name: 'an unknown top-level field', mutate: (m) => (m.extra = 1), expectError: /extra/ },
];

/** The contract test every message shares: its fixture parses, and each breakage is caught. */
export function describeEventContract(
  cls: new () => object,
  fixture: object,
  breakages: Breakage[],
): void {
  describe(cls.name, () => {
    it('accepts its fixture, by class and by type', () => {
      expect(parseMessage(cls, fixture)).toMatchObject({ ok: true });
      const byType = parseEvent(fixture);
      expect(byType.ok && byType.value).toBeInstanceOf(cls);
    });

    it.each([...common, ...breakages])('rejects $name', ({ mutate, expectError }) => {
      const broken = structuredClone(fixture);
      mutate(broken);
      const result = parseMessage(cls, broken);
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.errors).toEqual(
        expect.arrayContaining([expect.stringMatching(expectError)]),
      );
    });
  });
}

export const employeeBreakages: Breakage[] = [
  {
    name: 'an SSN in the attributes',
    mutate: (m) => (m.employee.attributes.ssn = '123-45-6789'),
    expectError: /ssn/,
  },
  {
    name: 'a bad e-mail',
    mutate: (m) => (m.employee.email = 'not-an-email'),
    expectError: /^employee\.email:/,
  },
  {
    name: 'an impossible hire date',
    mutate: (m) => (m.employee.hireDate = '2026-02-30'),
    expectError: /^employee\.hireDate:/,
  },
  {
    name: 'a language name instead of a code',
    mutate: (m) => (m.employee.language = 'English'),
    expectError: /^employee\.language:/,
  },
  {
    name: 'an empty first name',
    mutate: (m) => (m.employee.firstName = ''),
    expectError: /^employee\.firstName:/,
  },
  {
    name: 'an unknown status',
    mutate: (m) => (m.employee.status = 'fired'),
    expectError: /^employee\.status:/,
  },
];

export const runBreakages: Breakage[] = [
  {
    name: 'an unknown trigger',
    mutate: (m) => (m.run.trigger = 'cron'),
    expectError: /^run\.trigger:/,
  },
  {
    name: 'an unknown direction',
    mutate: (m) => (m.run.direction = 'sideways'),
    expectError: /^run\.direction:/,
  },
  {
    name: 'negative counts',
    mutate: (m) => (m.run.counts.lms.created = -1),
    expectError: /^run\.counts\.lms\.created:/,
  },
  { name: 'missing counts', mutate: (m) => delete m.run.counts, expectError: /^run\.counts:/ },
];
