import { ANN, BOB, portalError, useSim } from '../../testing/sim-harness';
import { UnitsActions } from './units.actions';

// Units of a course, tests, surveys and ILT sessions: the values they answer and what other
// actions do to them, beyond the shapes the API v1 contract checks.

const SEED = {
  site: { domain: 'acme.talentlms.com' },
  courses: [{ id: 10, name: 'Onboarding' }],
  users: [
    { id: 1, ...ANN },
    { id: 2, ...BOB },
  ],
  enrolments: [
    { userId: 1, courseId: 10 },
    { userId: 2, courseId: 10 },
  ],
  units: [
    { id: 1, courseId: 10, name: 'Intro' },
    { id: 2, courseId: 10, type: 'Section', name: 'Part 2', delayMinutes: 90 },
    { id: 3, courseId: 10, type: 'Section', name: 'Part 3', delayMinutes: 30 },
    {
      id: 4,
      courseId: 10,
      type: 'Test',
      name: 'Quiz',
      questions: [
        { id: 10, text: 'Ready?', answers: ['yes', 'no'], correct: [1] },
        { id: 20, text: 'Pick two', answers: ['a', 'b', 'c'], correct: [1, 3], weight: 2 },
        { id: 50, text: 'Why?', type: 'Free text' },
      ],
    },
    {
      id: 5,
      courseId: 10,
      type: 'Survey',
      name: 'Feedback',
      questions: [{ id: 1, text: 'Liked it?', answers: ['yes', 'no', 'maybe'] }],
    },
    {
      id: 6,
      courseId: 10,
      type: 'ILT',
      name: 'Workshop',
      sessions: [
        { name: 'Session #1', type: 'webinar', startsAt: '2017-01-20T12:00:00Z' },
        {
          name: 'Session #2',
          startsAt: '2017-01-31T15:45:00Z',
          capacity: 100,
          durationMinutes: 120,
        },
      ],
    },
  ],
  unitProgress: [
    {
      unitId: 4,
      userId: 1,
      status: 'passed',
      score: 50,
      completedAt: '2015-03-23T18:18:22Z',
      totalTimeSeconds: 313,
      answers: { '10': [1], '20': [2], '50': 'my answer' },
    },
    { unitId: 4, userId: 2, status: 'incomplete', score: 20 },
    { unitId: 5, userId: 1, completedAt: '2015-03-23T14:00:23Z', answers: { '1': [3] } },
  ],
};

describe(UnitsActions.name, () => {
  const sim = useSim(SEED);

  it("lists a course's units in order, sections with their delay so far", async () => {
    const course = (await sim().api('courses/id:10')).body;
    expect(course.units.slice(0, 3)).toEqual([
      { id: '1', type: 'Content', name: 'Intro', url: 'acme.talentlms.com/unit/apiview/id:1' },
      {
        id: '2',
        type: 'Section',
        name: 'Part 2',
        delay_time: '90',
        aggregated_delay_time: '90',
        formatted_aggregated_delay_time: '1h 30m',
      },
      {
        id: '3',
        type: 'Section',
        name: 'Part 3',
        delay_time: '30',
        aggregated_delay_time: '120',
        formatted_aggregated_delay_time: '2h',
      },
    ]);
    expect(course.units.map((u: { id: string }) => u.id)).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it("answers each user's progress in a unit, or one user's (Not attempted when not tried)", async () => {
    expect((await sim().api('getusersprogressinunits/unit_id:4')).body).toEqual([
      { user_id: '1', status: 'Passed', score: '50' },
      { user_id: '2', status: 'In progress', score: '20' },
    ]);
    expect((await sim().api('getusersprogressinunits/unit_id:1,user_id:2')).body).toEqual([
      { user_id: '2', status: 'Not attempted', score: '0' },
    ]);
  });

  it("answers a user's test: score, each question marked, answers numbered from 1", async () => {
    const answer = (await sim().api('gettestanswers/test_id:4,user_id:1')).body;
    expect(answer).toMatchObject({
      test_id: '4',
      test_name: 'Quiz',
      user_id: '1',
      user_name: 'A. Lee',
      score: '50.00%',
      completion_status: 'Passed',
      completed_on: '23/03/2015, 18:18:22',
      completed_on_timestamp: '1427134702',
      total_time: '5m 13s',
      total_time_seconds: 313,
    });
    expect(answer.questions).toEqual([
      {
        id: '10',
        text: 'Ready?',
        type: 'Multiple choice',
        weight: '1',
        correct: '1',
        answers: { '1': 'yes', '2': 'no' },
        correct_answers: { '1': 'yes' },
        user_answers: { '1': 'yes' },
      },
      {
        id: '20',
        text: 'Pick two',
        type: 'Multiple choice',
        weight: '2',
        correct: '0',
        answers: { '1': 'a', '2': 'b', '3': 'c' },
        correct_answers: { '1': 'a', '3': 'c' },
        user_answers: { '2': 'b' },
      },
      {
        id: '50',
        text: 'Why?',
        type: 'Free text',
        weight: '1',
        correct: '1',
        answers: [],
        correct_answers: [],
        user_answers: ['my answer'],
      },
    ]);
  });

  it("answers a user's survey", async () => {
    const answer = (await sim().api('getsurveyanswers/survey_id:5,user_id:1')).body;
    expect(answer).toEqual({
      survey_id: '5',
      survey_name: 'Feedback',
      user_id: '1',
      user_name: 'A. Lee',
      completion_status: 'Completed',
      completed_on: '23/03/2015, 14:00:23',
      completed_on_timestamp: '1427119223',
      total_time: null,
      total_time_seconds: 0,
      questions: [
        {
          id: '1',
          text: 'Liked it?',
          type: 'Multiple choice',
          answers: { '1': 'yes', '2': 'no', '3': 'maybe' },
          user_answers: { '3': 'maybe' },
        },
      ],
    });
    expect((await sim().api('getsurveyanswers/survey_id:5,user_id:2')).body).toEqual(
      portalError('User does not have a progress registered for the survey'),
    );
  });

  it("answers an ILT unit's sessions in the portal's date format", async () => {
    expect((await sim().api('getiltsessions/ilt_id:6')).body).toEqual([
      {
        id: '1',
        name: 'Session #1',
        multiname: '',
        linked_to: '',
        type: 'webinar',
        owner_id: '1',
        instructor_id: '1',
        description: '',
        location: '',
        start_timestamp: '1484913600',
        start_date: '20/01/2017, 12:00:00',
        capacity: 'unlimited',
        duration_minutes: '60',
      },
      expect.objectContaining({
        id: '2',
        type: 'classroom',
        start_date: '31/01/2017, 15:45:00',
        capacity: '100',
        duration_minutes: '120',
      }),
    ]);
  });

  it("puts each unit's progress in getuserstatusincourse (sections left out)", async () => {
    const status = (await sim().api('getuserstatusincourse/course_id:10,user_id:1')).body;
    expect(status.units.map((u: { id: string }) => u.id)).toEqual(['1', '4', '5', '6']);
    expect(status.units[0]).toEqual({
      id: '1',
      name: 'Intro',
      type: 'Content',
      completion_status: 'Not attempted',
      completed_on: '',
      completed_on_timestamp: null,
      score: '',
      total_time: null,
      total_time_seconds: 0,
    });
    expect(status.units[1]).toMatchObject({ completion_status: 'Passed', score: '50' });
  });

  it('forgets unit progress when the progress is reset or the user leaves the course', async () => {
    await sim().api('resetuserprogress/user_id:1,course_id:10');
    expect((await sim().api('gettestanswers/test_id:4,user_id:1')).body).toEqual(
      portalError('User does not have a progress registered for the test'),
    );
    await sim().api('removeuserfromcourse/user_id:2,course_id:10');
    expect((await sim().api('getusersprogressinunits/unit_id:4')).body).toEqual([]);
    expect((await sim().api('getusersprogressinunits/unit_id:4,user_id:2')).body).toEqual(
      portalError('The requested user is not enrolled in this course'),
    );
  });

  it('takes its units with a deleted course', async () => {
    await sim().api('deletecourse', { form: { course_id: '10' } });
    expect((await sim().api('getiltsessions/ilt_id:6')).body).toEqual(
      portalError('The requested unit does not exist'),
    );
    const state = (await sim().admin('GET', 'state')).body;
    expect(state).toMatchObject({ units: [], unitProgress: [] });
  });

  it('shows units and progress in the state, which a seed takes back', async () => {
    const state = (await sim().admin('GET', 'state')).body;
    expect(state.units).toHaveLength(6);
    expect(state.unitProgress).toHaveLength(3);
    expect(state.units[5].sessions[0]).toMatchObject({ id: 1, startsAt: '2017-01-20T12:00:00Z' });
    const { calls: _c, limits: _l, faults: _f, clock: _k, tls: _t, ...data } = state;
    expect((await sim().admin('POST', 'seed', data)).status).toBe(200);
    expect((await sim().admin('GET', 'state')).body.unitProgress).toEqual(state.unitProgress);
  });

  it('refuses a seed whose progress is of a user not in the unit course', async () => {
    const refused = await sim().admin('POST', 'seed', {
      ...SEED,
      enrolments: [{ userId: 1, courseId: 10 }],
      unitProgress: [
        { unitId: 4, userId: 2 },
        { unitId: 9, userId: 1 },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.details.problems).toEqual([
      'unitProgress.0: user 2 is not enrolled in course 10',
      'unitProgress.1.unitId: unit 9 is not in the seed',
    ]);
  });
});
