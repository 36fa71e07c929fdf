// The benchmark's data: N people, 50 courses, the same on every run (deterministic), so runs
// and the naive baseline work on identical input.
export const COURSES = 50;

/** TalentLMS custom user fields matching HR attributes (name and type), so attributes travel. */
export const CUSTOM_FIELDS = [
  { key: 'custom_field_1', name: 'hireDate', type: 'date' },
  { key: 'custom_field_2', name: 'department', type: 'text' },
  { key: 'custom_field_3', name: 'city', type: 'text' },
];

const DEPARTMENTS = ['Sales', 'R&D', 'Support', 'Finance', 'People', 'Operations'];
const CITIES = ['Paris', 'Athens', 'Berlin', 'Lisbon', 'Oslo', 'Madrid', 'Rome'];

const pad = (n) => String(n).padStart(2, '0');

function hireDateOf(i) {
  const d = new Date(Date.UTC(2015, 0, 1) + (i % 3000) * 86_400_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The i-th employee as POST /employees takes it. */
export function employee(i, prefix = 'p') {
  return {
    firstName: `Ann${i}`,
    lastName: `Lee${i}`,
    email: `${prefix}${i}@bench.example.com`,
    language: 'en',
    hireDate: hireDateOf(i),
    attributes: {
      department: DEPARTMENTS[i % DEPARTMENTS.length],
      city: CITIES[i % CITIES.length],
    },
  };
}

export function courses() {
  return Array.from({ length: COURSES }, (_, c) => ({
    id: c + 1,
    name: `Course ${c + 1}`,
    code: `C${c + 1}`,
  }));
}

/** An empty portal (its owner, the courses, the custom fields) for HR -> LMS runs. */
export function emptyPortal() {
  return {
    site: { dateFormat: 'DDMMYYYY' },
    customFields: CUSTOM_FIELDS,
    courses: courses(),
    users: [
      {
        id: 1,
        login: 'owner',
        firstName: 'Olivia',
        lastName: 'Owner',
        email: 'owner@bench.example.com',
        userType: 'SuperAdmin',
      },
    ],
  };
}

/**
 * A portal with N learners (ids 2..N+1) and `perUser` enrolments each with progress, for the
 * LMS -> HR run.
 */
export function populatedPortal(n, perUser = 3) {
  const portal = emptyPortal();
  const statuses = ['not_attempted', 'incomplete', 'completed', 'failed'];
  portal.enrolments = [];
  for (let i = 0; i < n; i += 1) {
    const e = employee(i, 'l');
    const id = i + 2;
    const [y, m, d] = e.hireDate.split('-');
    portal.users.push({
      id,
      login: `l${i}`,
      firstName: e.firstName,
      lastName: e.lastName,
      email: e.email,
      createdAt: '2024-01-02T03:04:05Z',
      customFields: { hireDate: `${d}/${m}/${y}`, department: e.attributes.department },
    });
    for (let k = 0; k < perUser; k += 1) {
      const status = statuses[(i + k) % statuses.length];
      portal.enrolments.push({
        userId: id,
        courseId: ((i * perUser + k) % COURSES) + 1,
        enrolledAt: '2024-02-01T09:00:00Z',
        completionStatus: status,
        completionPercentage: status === 'completed' ? 100 : status === 'incomplete' ? 40 : 0,
        ...(status === 'completed' ? { completedAt: '2024-03-01T10:00:00Z' } : {}),
        totalTimeSeconds: 60 * ((i + k) % 90),
      });
    }
  }
  return portal;
}
