import type { EmployeeRecord, LmsUser } from '@talentsync/contracts';
import type { EmployeeLink } from './types';

export interface Match {
  employee: EmployeeRecord;
  user: LmsUser;
  /** The pair is already stored as a link (else it was found by e-mail now). */
  linked: boolean;
  /** The user is outside the branch in scope (found portal-wide by e-mail). */
  outOfScope: boolean;
}

export interface Matching {
  byEmployee: Map<string, Match>;
  byUser: Map<string, Match>;
  employeesByEmail: Map<string, EmployeeRecord[]>;
}

const emailKey = (email: string) => email.trim().toLowerCase();
const isActive = (e: EmployeeRecord) => e.status === 'active';

/**
 * Pairs employees with TalentLMS users, one to one (SPEC section 4): by stored link first, else
 * by e-mail without regard to case. Terminated and deleted employees match too, so a match never
 * creates a duplicate. When an e-mail's LMS account is held by an inactive employee and an
 * active employee has the same e-mail (a rehire recorded as a new employee), the active one
 * takes the account over: it is the same person.
 */
export function matchPeople(
  employees: EmployeeRecord[],
  users: LmsUser[],
  outOfScopeUsers: LmsUser[],
  links: EmployeeLink[],
): Matching {
  const outOfScope = new Set(outOfScopeUsers.map((u) => u.id));
  const usersById = new Map<string, LmsUser>();
  const usersByEmail = new Map<string, LmsUser>();
  for (const user of [...users, ...outOfScopeUsers]) {
    if (usersById.has(user.id)) continue;
    usersById.set(user.id, user);
    if (!usersByEmail.has(emailKey(user.email))) usersByEmail.set(emailKey(user.email), user);
  }
  const employeesById = new Map(employees.map((e) => [e.id, e]));
  const employeesByEmail = new Map<string, EmployeeRecord[]>();
  for (const employee of employees) {
    const list = employeesByEmail.get(emailKey(employee.email)) ?? [];
    list.push(employee);
    employeesByEmail.set(emailKey(employee.email), list);
  }

  const byEmployee = new Map<string, Match>();
  const byUser = new Map<string, Match>();
  const claim = (match: Match) => {
    byEmployee.set(match.employee.id, match);
    byUser.set(match.user.id, match);
  };
  const release = (match: Match) => {
    byEmployee.delete(match.employee.id);
    byUser.delete(match.user.id);
  };

  for (const link of [...links].sort((a, b) => a.employeeId.localeCompare(b.employeeId))) {
    const employee = employeesById.get(link.employeeId);
    const user = usersById.get(link.lmsUserId);
    if (!employee || !user || byEmployee.has(employee.id) || byUser.has(user.id)) continue;
    claim({ employee, user, linked: true, outOfScope: outOfScope.has(user.id) });
  }

  // Active employees first, so they win an e-mail over inactive ones; ids for a stable order.
  const unmatched = employees
    .filter((e) => !byEmployee.has(e.id))
    .sort((a, b) => Number(isActive(b)) - Number(isActive(a)) || a.id.localeCompare(b.id));
  for (const employee of unmatched) {
    const user = usersByEmail.get(emailKey(employee.email));
    if (!user) continue;
    const holder = byUser.get(user.id);
    if (holder) {
      if (!isActive(employee) || isActive(holder.employee)) continue;
      release(holder);
    }
    claim({ employee, user, linked: false, outOfScope: outOfScope.has(user.id) });
  }
  return { byEmployee, byUser, employeesByEmail };
}

export function employeesWithEmail(matching: Matching, email: string): EmployeeRecord[] {
  return matching.employeesByEmail.get(emailKey(email)) ?? [];
}
