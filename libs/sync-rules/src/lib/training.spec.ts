import type { LmsEnrolment, SyncDirection } from '@talentsync/contracts';
import { planSync } from './planner';
import { employee, input, lmsUser } from './test-data';
import type {
  EnrolPayload,
  HrTrainingRecord,
  PlanInput,
  TrainingInput,
  TrainingPayload,
} from './types';

const enrolment = (
  userId: string,
  courseId: string,
  completionPercentage: number,
): LmsEnrolment => ({
  courseId,
  courseName: `Course ${courseId}`,
  userId,
  role: 'learner',
  enrolledAt: '2026-01-01T09:00:00Z',
  completionStatus: completionPercentage === 100 ? 'completed' : 'incomplete',
  completionPercentage,
  completedAt: completionPercentage === 100 ? '2026-02-01T09:00:00Z' : null,
  totalTimeSeconds: completionPercentage * 10,
});

const stored = (employeeId: string, e: LmsEnrolment): HrTrainingRecord => ({
  employeeId,
  courseId: e.courseId,
  courseName: e.courseName,
  enrolledAt: e.enrolledAt,
  completionStatus: e.completionStatus,
  completionPercentage: e.completionPercentage,
  completedAt: e.completedAt,
  totalTimeSeconds: e.totalTimeSeconds,
});

function plan(
  direction: SyncDirection,
  training: Partial<TrainingInput>,
  extra: Partial<PlanInput> = {},
) {
  return planSync(
    input({
      settings: { direction, branch: 'all' },
      employees: [employee('e1')],
      lmsUsers: [lmsUser('7', 'e1', { attributes: { hireDate: '2020-01-15' } })],
      links: [{ employeeId: 'e1', lmsUserId: '7' }],
      training: { lmsEnrolments: [], hrRecords: [], enrolmentRequests: [], ...training },
      ...extra,
    }),
  ).items;
}

describe('training in a plan', () => {
  it('stores new and changed progress on the HR side, and nothing that is unchanged', () => {
    const same = enrolment('7', 'c1', 100);
    const items = plan('lms-to-hr', {
      lmsEnrolments: [same, enrolment('7', 'c2', 40), enrolment('7', 'c3', 10)],
      hrRecords: [stored('e1', same), stored('e1', enrolment('7', 'c2', 20))],
    });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ action: 'store-training', employeeId: 'e1', lmsUserId: '7' });
    expect(
      (items[0].payload as TrainingPayload).records.map((r) => [
        r.courseId,
        r.completionPercentage,
      ]),
    ).toEqual([
      ['c2', 40],
      ['c3', 10],
    ]);
    expect(items[0].changes).toEqual([
      { field: 'course c2', before: '20%', after: '40%' },
      { field: 'course c3', before: null, after: '10%' },
    ]);
  });

  it('stores the training of a person this plan creates in HR, addressed by LMS user id', () => {
    const items = plan(
      'two-way',
      { lmsEnrolments: [enrolment('9', 'c1', 50)] },
      {
        lmsUsers: [lmsUser('9', 'n1', { attributes: { hireDate: '2021-06-01' } })],
        employees: [],
        links: [],
      },
    );
    expect(items.map((i) => [i.action, i.employeeId, i.lmsUserId])).toEqual([
      ['create-hr-employee', undefined, '9'],
      ['store-training', undefined, '9'],
    ]);
  });

  it.each<[SyncDirection, string]>([
    ['lms-to-hr', 'Renamed Last7'],
    ['two-way', 'Firste1 Laste1'],
  ])('%s: names the person as their other items do (%s)', (direction, person) => {
    const items = plan(
      direction,
      { lmsEnrolments: [enrolment('7', 'c1', 50)] },
      {
        lmsUsers: [
          lmsUser('7', 'e1', {
            firstName: 'Renamed',
            lastName: 'Last7',
            attributes: { hireDate: '2020-01-15' },
          }),
        ],
      },
    );
    expect(new Set(items.map((i) => i.person))).toEqual(new Set([person]));
  });

  it('does not move training in HR -> LMS', () => {
    expect(
      plan('hr-to-lms', {
        lmsEnrolments: [enrolment('7', 'c1', 50)],
        enrolmentRequests: [{ id: 'r1', employeeId: 'e1', courseId: 'c9' }],
      }),
    ).toEqual([]);
  });

  it('two-way: sends enrolments made in HR to TalentLMS, marking the ones already there', () => {
    const items = plan('two-way', {
      lmsEnrolments: [enrolment('7', 'c1', 0)],
      hrRecords: [stored('e1', enrolment('7', 'c1', 0))],
      enrolmentRequests: [
        { id: 'r1', employeeId: 'e1', courseId: 'c2' },
        { id: 'r2', employeeId: 'e1', courseId: 'c1' },
      ],
    });
    expect(
      items.map((i) => [
        i.action,
        (i.payload as EnrolPayload).requestId,
        (i.payload as EnrolPayload).alreadyEnrolled,
      ]),
    ).toEqual([
      ['enrol-in-lms', 'r1', false],
      ['enrol-in-lms', 'r2', true],
    ]);
  });

  it('lms-to-hr: enrolment requests made in HR stay in HR', () => {
    expect(
      plan('lms-to-hr', { enrolmentRequests: [{ id: 'r1', employeeId: 'e1', courseId: 'c2' }] }),
    ).toEqual([]);
  });

  it('two-way: an enrolment for someone with no LMS user in scope is skipped with a reason', () => {
    const items = plan(
      'two-way',
      { enrolmentRequests: [{ id: 'r1', employeeId: 'e2', courseId: 'c2' }] },
      {
        employees: [employee('e1'), employee('e2', { status: 'terminated' })],
      },
    );
    expect(items.find((i) => i.employeeId === 'e2')).toMatchObject({
      action: 'skip',
      reason: expect.stringMatching(/terminated in HR/),
    });
  });
});
