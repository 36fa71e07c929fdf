import { portalError, useSim } from '../testing/sim-harness';

// API v1 as public clients call it: each row is one call written the way its source writes it
// (the action, GET with path parameters or POST form-encoded, the parameter names and
// encoding) and what the simulator must answer: status, the JSON shape with the type of each
// value, and the exact message of an error. Sources:
//   manual p.N   shared/reference/talentlms-api-v6.txt (API Documentation v6.0), page N
//   py:<method>  ib1984/py-talentlms, talentlms/api.py (path values quote_plus-encoded with '@'
//                kept, sorted; POSTs form-encoded) and talentlms/exceptions.py (error texts)
// No third-party code is in this file; the rows restate what those sources document.

type Kind = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';
/** Expected keys of an object answer and the JSON type of each value. */
type Shape = Record<string, Kind>;

interface Row {
  source: string;
  /** `GET action {params}` or `POST action {form}`. */
  call: { method: 'GET' | 'POST'; action: string; params?: Record<string, string | number> };
  status: number;
  /** For 200: the answer's shape (an object; for a list, its first item's). */
  shape?: Shape;
  list?: boolean;
  /** Where in the answer (or its first item) the shape is: keys and indexes, e.g. `['units', 0]`. */
  at?: (string | number)[];
  /** For errors: the exact message. */
  message?: string;
}

/** py-talentlms' path encoding: `name:value` pairs, quote_plus with '@' safe, sorted. */
function pathParams(params: Record<string, string | number> = {}): string {
  const plus = (text: string) => encodeURIComponent(text).replace(/%20/g, '+').replace(/%40/g, '@');
  return Object.entries(params)
    .map(([name, value]) => `${plus(name)}:${plus(String(value))}`)
    .sort()
    .join(',');
}

const kindOf = (value: unknown): Kind =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as Kind);

const USER_LIST_SHAPE: Shape = {
  id: 'string',
  login: 'string',
  first_name: 'string',
  last_name: 'string',
  email: 'string',
  restrict_email: 'string',
  user_type: 'string',
  timezone: 'string',
  language: 'string',
  status: 'string',
  deactivation_date: 'string',
  level: 'string',
  points: 'string',
  created_on: 'string',
  last_updated: 'string',
  last_updated_timestamp: 'string',
  avatar: 'string',
  bio: 'null',
  login_key: 'string',
  custom_field_1: 'string',
};
const USER_DETAIL_SHAPE: Shape = {
  ...USER_LIST_SHAPE,
  courses: 'array',
  branches: 'array',
  groups: 'array',
  certifications: 'array',
  badges: 'array',
};
const SUCCESS: Shape = { message: 'string' };

const SEED = {
  customFields: [{ key: 'custom_field_1', name: 'department', type: 'text' }],
  courseCustomFields: [{ key: 'custom_field_1', name: 'topic', type: 'text' }],
  branches: [
    { id: 1, name: 'emea', courses: [10] },
    { id: 2, name: 'apac' },
  ],
  categories: [
    { id: 3, name: 'Samples' },
    { id: 4, name: 'Leaf', parentId: 3 },
  ],
  courses: [
    { id: 10, name: 'Onboarding', code: '001', categoryId: 3, customFields: { topic: 'social' } },
    { id: 11, name: 'Safety', categoryId: 4 },
  ],
  groups: [{ id: 5, name: 'Sales Staff', key: 'SALES', users: [1], courses: [10] }],
  users: [
    {
      id: 1,
      login: 'ann',
      firstName: 'Ann',
      lastName: 'Lee',
      email: 'ann@example.com',
      password: 'Secret-123',
      branches: [1],
      customFields: { department: 'Sales' },
    },
    {
      id: 2,
      login: 'john smith',
      firstName: 'John',
      lastName: 'Smith',
      email: 'john+smith@example.com',
      status: 'inactive' as const,
      customFields: { department: 'R&D' },
    },
  ],
  enrolments: [{ userId: 1, courseId: 10, completionPercentage: 40 }],
  units: [
    { id: 20, courseId: 10, type: 'Content' as const, name: 'Welcome' },
    { id: 21, courseId: 10, type: 'Section' as const, name: 'Part 2', delayMinutes: 60 },
    {
      id: 22,
      courseId: 10,
      type: 'Test' as const,
      name: 'Quiz',
      questions: [
        { id: 1, text: 'Ready?', answers: ['yes', 'no'], correct: [1] },
        { id: 2, text: 'Why?', type: 'Free text' },
      ],
    },
    {
      id: 23,
      courseId: 10,
      type: 'Survey' as const,
      name: 'Feedback',
      questions: [
        { id: 1, text: 'Liked it?', answers: ['yes', 'no'] },
        { id: 2, text: 'Comments', type: 'Free text' },
      ],
    },
    {
      id: 24,
      courseId: 10,
      type: 'ILT' as const,
      name: 'Workshop',
      sessions: [
        {
          id: 1,
          name: 'Session #1',
          type: 'webinar' as const,
          startsAt: '2017-01-20T10:00:00Z',
          durationMinutes: 60,
        },
        { id: 2, name: 'Session #2', startsAt: '2017-01-31T13:45:00Z', capacity: 100 },
      ],
    },
    { id: 25, courseId: 11, type: 'Web content' as const, name: 'Unit #1' },
    { id: 26, courseId: 10, type: 'Test' as const, name: 'Final test' },
    { id: 27, courseId: 10, type: 'Survey' as const, name: 'Exit survey' },
  ],
  unitProgress: [
    { unitId: 20, userId: 1, completedAt: '2023-03-20T10:00:00Z', totalTimeSeconds: 71 },
    {
      unitId: 22,
      userId: 1,
      status: 'passed' as const,
      completedAt: '2023-03-21T10:00:00Z',
      totalTimeSeconds: 313,
      answers: { '1': [1], '2': 'my answer' },
    },
    { unitId: 23, userId: 1, totalTimeSeconds: 222, answers: { '1': [1], '2': 'great' } },
  ],
};

const get = (action: string, params?: Record<string, string | number>) =>
  ({ method: 'GET', action, params }) as const;
const post = (action: string, params?: Record<string, string | number>) =>
  ({ method: 'POST', action, params }) as const;

/** The resource URL patterns of the manual's summary (pp. 6-8), in its order. */
const MANUAL_ACTIONS = [
  'users',
  'userlogin',
  'isuseronline',
  'userlogout',
  'usersignup',
  'deleteuser',
  'edituser',
  'usersetstatus',
  'courses',
  'createcourse',
  'deletecourse',
  'categories',
  'groups',
  'creategroup',
  'deletegroup',
  'branches',
  'createbranch',
  'deletebranch',
  'branchsetstatus',
  'forgotusername',
  'forgotpassword',
  'addusertocourse',
  'removeuserfromcourse',
  'getuserstatusincourse',
  'resetuserprogress',
  'addusertobranch',
  'removeuserfrombranch',
  'addcoursetobranch',
  'addusertogroup',
  'removeuserfromgroup',
  'addcoursetogroup',
  'gotocourse',
  'getusersbycustomfield',
  'getcoursesbycustomfield',
  'buycourse',
  'buycategorycourses',
  'getcustomregistrationfields',
  'getcustomcoursefields',
  'categoryleafsandcourses',
  'getusersprogressinunits',
  'gettestanswers',
  'getsurveyanswers',
  'getiltsessions',
  'gettimeline',
  'siteinfo',
  'ratelimit',
];

const NOT_FOUND_USER = 'The requested user does not exist';
const INVALID = 'Invalid arguments provided';

const ROWS: Row[] = [
  // Users (manual pp. 11-21)
  {
    source: 'manual p.13, py:users()',
    call: get('users'),
    status: 200,
    list: true,
    shape: USER_LIST_SHAPE,
  },
  {
    source: 'manual p.14, py:users() paging',
    call: get('users', { page_size: 1, page_number: 2 }),
    status: 200,
    list: true,
    shape: USER_LIST_SHAPE,
  },
  {
    source: 'manual p.11, py:users(id)',
    call: get('users', { id: 1 }),
    status: 200,
    shape: USER_DETAIL_SHAPE,
  },
  {
    source: 'py:users(email), quote_plus',
    call: get('users', { email: 'john+smith@example.com' }),
    status: 200,
    shape: USER_DETAIL_SHAPE,
  },
  {
    source: 'py:users(login), quote_plus',
    call: get('users', { username: 'john smith' }),
    status: 200,
    shape: USER_DETAIL_SHAPE,
  },
  {
    source: 'manual p.9, py:UserDoesNotExistError',
    call: get('users', { id: 99 }),
    status: 404,
    message: NOT_FOUND_USER,
  },
  {
    source: 'manual p.15, py:user_login',
    call: post('userlogin', { login: 'ann', password: 'Secret-123' }),
    status: 200,
    shape: { user_id: 'string', login_key: 'string' },
  },
  {
    source: 'py:PasswordIncorrectError',
    call: post('userlogin', { login: 'ann', password: 'wrong' }),
    status: 400,
    message:
      'Your login or password is incorrect. Please try again, making sure that CAPS LOCK key is off',
  },
  {
    source: 'py:UserInactiveError',
    call: post('userlogin', { login: 'john smith', password: 'x' }),
    status: 400,
    message:
      'Your account is inactive. Please activate the account using the instructions sent to you via e-mail. If you did not receive the e-mail, check your spam folder.',
  },
  {
    source: 'manual p.15',
    call: get('isuseronline', { user_id: 1 }),
    status: 200,
    shape: { online: 'boolean' },
  },
  {
    source: 'manual p.16, py:user_logout',
    call: post('userlogout', { user_id: 1, next: 'aHR0cHM6Ly9leGFtcGxlLmNvbQ==' }),
    status: 200,
    shape: { redirect_url: 'string' },
  },
  {
    source: 'manual p.16, py:user_signup',
    call: post('usersignup', {
      first_name: 'Bo',
      last_name: 'Ek',
      email: 'bo@example.com',
      login: 'bo',
      password: 'Secret-123',
      custom_field_1: 'Ops',
    }),
    status: 200,
    shape: USER_LIST_SHAPE,
  },
  {
    source: 'py:UserAlreadyExistsError (e-mail)',
    call: post('usersignup', {
      first_name: 'A',
      last_name: 'L',
      email: 'ANN@example.com',
      login: 'ann2',
      password: 'Secret-123',
    }),
    status: 400,
    message: 'A user with the same email address already exists',
  },
  {
    source: 'py:UserAlreadyExistsError (login)',
    call: post('usersignup', {
      first_name: 'A',
      last_name: 'L',
      email: 'a2@example.com',
      login: 'Ann',
      password: 'Secret-123',
    }),
    status: 400,
    message: 'A user with the same login already exists',
  },
  {
    source: 'manual p.8 (missing parameter), py:InvalidArgumentsError',
    call: post('usersignup', { first_name: 'A' }),
    status: 400,
    message: INVALID,
  },
  {
    source: 'manual p.17, py:delete_user',
    call: post('deleteuser', { user_id: 2, permanent: 'no' }),
    status: 200,
    shape: SUCCESS,
  },
  {
    source: 'manual p.17',
    call: get('getcustomregistrationfields'),
    status: 200,
    list: true,
    shape: {
      key: 'string',
      type: 'string',
      name: 'string',
      mandatory: 'string',
      visible_on_reports: 'string',
      dropdown_values: 'null',
      checkbox_status: 'string',
      selective_availability: 'string',
      branch: 'null',
      main_domain_availability: 'null',
      previous_key: 'null',
      order: 'string',
    },
  },
  {
    source: 'manual p.18, py:user_set_status',
    call: get('usersetstatus', { status: 'inactive', user_id: 1 }),
    status: 200,
    shape: { user_id: 'string', status: 'string' },
  },
  {
    source: 'manual p.18',
    call: get('forgotusername', { email: 'ann@example.com' }),
    status: 200,
    shape: { user_id: 'string' },
  },
  {
    source: 'manual p.19',
    call: get('forgotpassword', { username: 'ann' }),
    status: 200,
    shape: { user_id: 'string' },
  },
  {
    source: 'manual p.19, py:edit_user',
    call: post('edituser', { user_id: 1, last_name: 'Lee-Ray' }),
    status: 200,
    shape: USER_LIST_SHAPE,
  },
  {
    source: 'manual p.20',
    call: get('getusersbycustomfield', { custom_field_value: 'Sales' }),
    status: 200,
    shape: { '1': 'object' },
  },
  // Courses (manual pp. 22-31)
  {
    source: 'manual p.23, py:courses()',
    call: get('courses'),
    status: 200,
    list: true,
    shape: {
      id: 'string',
      name: 'string',
      code: 'string',
      category_id: 'string',
      description: 'string',
      price: 'string',
      status: 'string',
      creation_date: 'string',
      last_update_on: 'string',
      creator_id: 'string',
      hide_from_catalog: 'string',
      time_limit: 'string',
      start_datetime: 'null',
      expiration_datetime: 'null',
      level: 'string',
      shared: 'string',
      shared_url: 'string',
      avatar: 'string',
      big_avatar: 'string',
      certification: 'string',
      certification_duration: 'string',
    },
  },
  {
    source: 'manual p.22, py:courses(id)',
    call: get('courses', { id: 10 }),
    status: 200,
    shape: {
      id: 'string',
      name: 'string',
      users: 'array',
      units: 'array',
      rules: 'array',
      prerequisites: 'array',
    },
  },
  {
    source: 'py:CourseDoesNotExistError',
    call: get('courses', { id: 99 }),
    status: 404,
    message: 'The requested course does not exist',
  },
  {
    source: 'manual p.26, py:add_user_to_course',
    call: post('addusertocourse', { user_id: 1, course_id: 11, role: 'learner' }),
    status: 200,
    list: true,
    shape: { user_id: 'string', course_id: 'string', role: 'string' },
  },
  {
    source: 'py:UserAlreadyEnrolledError (course)',
    call: post('addusertocourse', { user_id: 1, course_id: 10, role: 'learner' }),
    status: 400,
    message: 'The requested user is already enrolled in this course',
  },
  {
    source: 'manual p.26, py:remove_user_from_course',
    call: get('removeuserfromcourse', { user_id: 1, course_id: 10 }),
    status: 200,
    shape: { user_id: 'string', course_id: 'string', course_name: 'string' },
  },
  {
    source: 'py:UserNotEnrolledError (course)',
    call: get('removeuserfromcourse', { user_id: 1, course_id: 11 }),
    status: 400,
    message: 'The requested user is not enrolled in this course',
  },
  {
    source: 'manual p.26',
    call: get('gotocourse', { user_id: 1, course_id: 10 }),
    status: 200,
    shape: { goto_url: 'string' },
  },
  {
    source: 'manual p.29, py:get_user_status_in_course',
    call: get('getuserstatusincourse', { user_id: 1, course_id: 10 }),
    status: 200,
    shape: {
      role: 'string',
      enrolled_on: 'string',
      enrolled_on_timestamp: 'string',
      completion_status: 'string',
      completion_percentage: 'string',
      completed_on: 'string',
      completed_on_timestamp: 'null',
      expired_on: 'string',
      expired_on_timestamp: 'null',
      total_time: 'null',
      total_time_seconds: 'number',
      units: 'array',
    },
  },
  {
    source: 'manual p.30, py:reset_user_progress',
    call: get('resetuserprogress', { user_id: 1, course_id: 10 }),
    status: 200,
    shape: SUCCESS,
  },
  {
    source: 'manual p.27',
    call: get('getcustomcoursefields'),
    status: 200,
    list: true,
    shape: { key: 'string', type: 'string', name: 'string', mandatory: 'string' },
  },
  {
    source: 'manual p.28',
    call: get('getcoursesbycustomfield', { custom_field_value: 'social' }),
    status: 200,
    list: true,
    shape: {
      id: 'string',
      name: 'string',
      certification_duration: 'string',
      custom_field_1: 'string',
    },
  },
  {
    source: 'manual p.25 (Create a new course; all but name optional)',
    call: post('createcourse', { name: 'My new course', category_id: 3, custom_field_1: 'law' }),
    status: 200,
    shape: {
      id: 'string',
      name: 'string',
      code: 'string',
      category_id: 'string',
      description: 'string',
      price: 'string',
      status: 'string',
      creation_date: 'string',
      last_update_on: 'string',
      creator_id: 'string',
      avatar: 'string',
      custom_field_1: 'string',
    },
  },
  {
    source: 'manual p.8 (a required parameter is missing: createcourse without name)',
    call: post('createcourse', { description: 'no name' }),
    status: 400,
    message: INVALID,
  },
  {
    source: 'manual p.26 (Delete a course)',
    call: post('deletecourse', { course_id: 11 }),
    status: 200,
    shape: SUCCESS,
  },
  {
    source: 'manual p.26, py:CourseDoesNotExistError (deletecourse)',
    call: post('deletecourse', { course_id: 99 }),
    status: 404,
    message: 'The requested course does not exist',
  },
  {
    source: 'manual p.27 (Buy course: a PayPal redirect_url)',
    call: post('buycourse', { user_id: 1, course_id: 10, coupon: 'SPRING' }),
    status: 200,
    shape: { redirect_url: 'string' },
  },
  {
    source: 'manual p.27 (the user id must be valid)',
    call: post('buycourse', { user_id: 99, course_id: 10 }),
    status: 404,
    message: NOT_FOUND_USER,
  },
  // Branches (manual pp. 39-44)
  {
    source: 'manual p.40, py:branches()',
    call: get('branches'),
    status: 200,
    list: true,
    shape: { id: 'string', name: 'string', description: 'string' },
  },
  {
    source: 'manual p.39, py:branches(id)',
    call: get('branches', { id: 1 }),
    status: 200,
    shape: { id: 'string', name: 'string', users: 'array', courses: 'array' },
  },
  {
    source: 'py:BranchDoesNotExistError',
    call: get('branches', { id: 99 }),
    status: 404,
    message: 'The requested branch does not exist',
  },
  {
    source: 'manual p.44 (Set status: the id of the branch and its new status)',
    call: get('branchsetstatus', { branch_id: 2, status: 'inactive' }),
    status: 200,
    shape: { branch_id: 'string', status: 'string' },
  },
  {
    source: "manual p.44 ('status' should be equal to 'active' or 'inactive'), p.8",
    call: get('branchsetstatus', { branch_id: 2, status: 'asleep' }),
    status: 400,
    message: INVALID,
  },
  {
    source: 'manual p.44, py:BranchDoesNotExistError (branchsetstatus)',
    call: get('branchsetstatus', { branch_id: 99, status: 'active' }),
    status: 404,
    message: 'The requested branch does not exist',
  },
  {
    source: 'manual p.43, py:add_user_to_branch',
    call: get('addusertobranch', { user_id: 1, branch_id: 2 }),
    status: 200,
    shape: { user_id: 'string', branch_id: 'string', branch_name: 'string' },
  },
  {
    source: 'py:UserAlreadyEnrolledError (branch)',
    call: get('addusertobranch', { user_id: 1, branch_id: 1 }),
    status: 400,
    message: 'The requested user is already a member of this branch',
  },
  {
    source: 'manual p.43, py:remove_user_from_branch',
    call: get('removeuserfrombranch', { user_id: 1, branch_id: 1 }),
    status: 200,
    shape: { user_id: 'string', branch_id: 'string', branch_name: 'string' },
  },
  {
    source: 'py:UserNotEnrolledError (branch)',
    call: get('removeuserfrombranch', { user_id: 1, branch_id: 2 }),
    status: 400,
    message: 'The requested user is not a member of this branch',
  },
  {
    source: 'manual p.43, py:add_course_to_branch',
    call: get('addcoursetobranch', { course_id: 11, branch_id: 1 }),
    status: 200,
    shape: { course_id: 'string', branch_id: 'string', branch_name: 'string' },
  },
  {
    source: 'py:CourseExistsError (branch)',
    call: get('addcoursetobranch', { course_id: 10, branch_id: 1 }),
    status: 400,
    message: 'The requested course is already a member of this branch',
  },
  {
    source: 'manual p.41 (Create a new branch; all but name optional)',
    call: post('createbranch', { name: 'newbranch', description: 'A new branch' }),
    status: 200,
    shape: {
      id: 'string',
      name: 'string',
      description: 'string',
      avatar: 'string',
      timezone: 'string',
      language: 'string',
      user_type: 'string',
      group_id: 'null',
      users_limit: 'null',
      currency: 'string',
    },
  },
  {
    source: 'manual p.8 (a required parameter is missing: createbranch without name)',
    call: post('createbranch', { description: 'no name' }),
    status: 400,
    message: INVALID,
  },
  {
    source: 'manual p.42 (Delete a branch)',
    call: post('deletebranch', { branch_id: 2 }),
    status: 200,
    shape: SUCCESS,
  },
  {
    source: 'manual p.42 (deleted_by_user_id: the user responsible; no such user)',
    call: post('deletebranch', { branch_id: 2, deleted_by_user_id: 99 }),
    status: 404,
    message: NOT_FOUND_USER,
  },
  {
    source: 'manual p.42, py:BranchDoesNotExistError (deletebranch)',
    call: post('deletebranch', { branch_id: 99 }),
    status: 404,
    message: 'The requested branch does not exist',
  },
  // Categories (manual pp. 32-35)
  {
    source: 'manual p.33, py:categories()',
    call: get('categories'),
    status: 200,
    list: true,
    shape: { id: 'string', name: 'string', price: 'string', parent_category_id: 'null' },
  },
  {
    source: 'manual p.32, py:categories(id)',
    call: get('categories', { id: 3 }),
    status: 200,
    shape: {
      id: 'string',
      name: 'string',
      price: 'string',
      parent_category_id: 'null',
      courses: 'array',
    },
  },
  {
    source: 'py:CategoryDoesNotExistError',
    call: get('categories', { id: 99 }),
    status: 404,
    message: 'The requested category does not exist',
  },
  {
    source: 'manual p.34',
    call: get('categoryleafsandcourses', { id: 3 }),
    status: 200,
    shape: { '4': 'object' },
  },
  {
    source: 'manual p.35 (Buy category courses: a PayPal redirect_url)',
    call: post('buycategorycourses', { user_id: 1, category_id: 3 }),
    status: 200,
    shape: { redirect_url: 'string' },
  },
  {
    source: 'manual p.35, py:CategoryDoesNotExistError (buycategorycourses)',
    call: post('buycategorycourses', { user_id: 1, category_id: 99 }),
    status: 404,
    message: 'The requested category does not exist',
  },
  // Groups (manual pp. 36-38)
  {
    source: 'manual p.36, py:groups()',
    call: get('groups'),
    status: 200,
    list: true,
    shape: {
      id: 'string',
      name: 'string',
      description: 'string',
      key: 'string',
      price: 'string',
      owner_id: 'string',
      belongs_to_branch: 'null',
      max_redemptions: 'null',
      redemptions_sofar: 'null',
    },
  },
  {
    source: 'manual p.36, py:groups(id)',
    call: get('groups', { id: 5 }),
    status: 200,
    shape: { id: 'string', name: 'string', users: 'array', courses: 'array' },
  },
  {
    source: 'py:GroupDoesNotExistError',
    call: get('groups', { id: 99 }),
    status: 404,
    message: 'The requested group does not exist',
  },
  {
    source: 'manual p.38, py:add_user_to_group',
    call: get('addusertogroup', { user_id: 2, group_key: 'SALES' }),
    status: 200,
    shape: { user_id: 'string', group_id: 'string', group_name: 'string' },
  },
  {
    source: 'py:GroupDoesNotExistError (key)',
    call: get('addusertogroup', { user_id: 2, group_key: 'NOPE' }),
    status: 404,
    message: 'There is no group with such key',
  },
  {
    source: 'py:UserAlreadyEnrolledError (group)',
    call: get('addusertogroup', { user_id: 1, group_key: 'SALES' }),
    status: 400,
    message: 'The requested user is already a member of this group',
  },
  {
    source: 'manual p.38, py:remove_user_from_group',
    call: get('removeuserfromgroup', { user_id: 1, group_id: 5 }),
    status: 200,
    shape: { user_id: 'string', group_id: 'string', group_name: 'string' },
  },
  {
    source: 'py:UserNotEnrolledError (group)',
    call: get('removeuserfromgroup', { user_id: 2, group_id: 5 }),
    status: 400,
    message: 'The requested user is not a member of this group',
  },
  {
    source: 'manual p.38, py:add_course_to_group',
    call: get('addcoursetogroup', { course_id: 11, group_id: 5 }),
    status: 200,
    shape: { course_id: 'string', group_id: 'string', group_name: 'string' },
  },
  {
    source: 'py:CourseExistsError (group)',
    call: get('addcoursetogroup', { course_id: 10, group_id: 5 }),
    status: 400,
    message: 'The requested course is already a member of this group',
  },
  {
    source: 'manual p.37 (Create a new group; key made up when not given)',
    call: post('creategroup', { name: 'A new group', description: 'Group created via API' }),
    status: 200,
    shape: {
      id: 'string',
      name: 'string',
      description: 'string',
      key: 'string',
      price: 'string',
      owner_id: 'string',
      belongs_to_branch: 'null',
      max_redemptions: 'null',
      redemptions_sofar: 'null',
    },
  },
  {
    source: 'manual p.8 (a required parameter is missing: creategroup without name)',
    call: post('creategroup', { key: 'NONAME' }),
    status: 400,
    message: INVALID,
  },
  {
    source: 'manual p.38 (Delete a group)',
    call: post('deletegroup', { group_id: 5 }),
    status: 200,
    shape: SUCCESS,
  },
  {
    source: 'manual p.38, py:GroupDoesNotExistError (deletegroup)',
    call: post('deletegroup', { group_id: 99 }),
    status: 404,
    message: 'The requested group does not exist',
  },
  // Units (manual pp. 44-49)
  {
    source: 'manual p.23 (Retrieving a course: units[], a content unit)',
    call: get('courses', { id: 10 }),
    status: 200,
    at: ['units', 0],
    shape: { id: 'string', type: 'string', name: 'string', url: 'string' },
  },
  {
    source: 'manual p.23 (Retrieving a course: units[], a section)',
    call: get('courses', { id: 10 }),
    status: 200,
    at: ['units', 1],
    shape: {
      id: 'string',
      type: 'string',
      name: 'string',
      delay_time: 'string',
      aggregated_delay_time: 'string',
      formatted_aggregated_delay_time: 'string',
    },
  },
  {
    source: 'manual p.30 (Get user status in course: units[])',
    call: get('getuserstatusincourse', { user_id: 1, course_id: 10 }),
    status: 200,
    at: ['units', 0],
    shape: {
      id: 'string',
      name: 'string',
      type: 'string',
      completion_status: 'string',
      completed_on: 'string',
      completed_on_timestamp: 'string',
      score: 'string',
      total_time: 'string',
      total_time_seconds: 'number',
    },
  },
  {
    source: 'manual p.34, py:category_leafs_and_courses (courses with their units)',
    call: get('categoryleafsandcourses', { id: 3 }),
    status: 200,
    at: ['4', 'courses', 0, 'units', 0],
    shape: { id: 'string', type: 'string', name: 'string', url: 'string' },
  },
  {
    source: 'manual p.44 (Retrieving scores for all users), py:get_users_progress_in_units',
    call: get('getusersprogressinunits', { unit_id: 22 }),
    status: 200,
    list: true,
    shape: { user_id: 'string', status: 'string', score: 'string' },
  },
  {
    source: 'manual p.45 (Retrieving scores for a specific user)',
    call: get('getusersprogressinunits', { unit_id: 20, user_id: 1 }),
    status: 200,
    list: true,
    shape: { user_id: 'string', status: 'string', score: 'string' },
  },
  {
    source: 'py:UnitDoesNotExistError (getusersprogressinunits)',
    call: get('getusersprogressinunits', { unit_id: 99 }),
    status: 404,
    message: 'The requested unit does not exist',
  },
  {
    source: 'py:get_users_progress_in_units, UserDoesNotExistError',
    call: get('getusersprogressinunits', { unit_id: 20, user_id: 99 }),
    status: 404,
    message: NOT_FOUND_USER,
  },
  {
    source: 'manual p.45 (Get test answers), py:get_test_answers',
    call: get('gettestanswers', { test_id: 22, user_id: 1 }),
    status: 200,
    shape: {
      test_id: 'string',
      test_name: 'string',
      user_id: 'string',
      user_name: 'string',
      score: 'string',
      completion_status: 'string',
      completed_on: 'string',
      completed_on_timestamp: 'string',
      total_time: 'string',
      total_time_seconds: 'number',
      questions: 'array',
    },
  },
  {
    source: 'manual pp. 45-46 (a test question)',
    call: get('gettestanswers', { test_id: 22, user_id: 1 }),
    status: 200,
    at: ['questions', 0],
    shape: {
      id: 'string',
      text: 'string',
      type: 'string',
      weight: 'string',
      correct: 'string',
      answers: 'object',
      correct_answers: 'object',
      user_answers: 'object',
    },
  },
  {
    source: 'manual p.46 (a free-text question: answers [], user_answers a list)',
    call: get('gettestanswers', { test_id: 22, user_id: 1 }),
    status: 200,
    at: ['questions', 1],
    shape: { answers: 'array', correct_answers: 'array', user_answers: 'array' },
  },
  {
    source: 'py:get_test_answers, UnitDoesNotExistError (a survey is not a test)',
    call: get('gettestanswers', { test_id: 23, user_id: 1 }),
    status: 404,
    message: 'The requested unit does not exist',
  },
  {
    source: 'manual p.45 (user enrolled in the course), py:UserNotEnrolledError',
    call: get('gettestanswers', { test_id: 22, user_id: 2 }),
    status: 400,
    message: 'The requested user is not enrolled in this course',
  },
  {
    source: 'py:UserNotEnrolledError (no progress in the test)',
    call: get('gettestanswers', { test_id: 26, user_id: 1 }),
    status: 400,
    message: 'User does not have a progress registered for the test',
  },
  {
    source: 'manual p.47 (Get survey answers), py:get_survey_answers',
    call: get('getsurveyanswers', { survey_id: 23, user_id: 1 }),
    status: 200,
    shape: {
      survey_id: 'string',
      survey_name: 'string',
      user_id: 'string',
      user_name: 'string',
      completion_status: 'string',
      completed_on: 'string',
      completed_on_timestamp: 'string',
      total_time: 'string',
      total_time_seconds: 'number',
      questions: 'array',
    },
  },
  {
    source: 'manual p.47 (a survey question)',
    call: get('getsurveyanswers', { survey_id: 23, user_id: 1 }),
    status: 200,
    at: ['questions', 0],
    shape: {
      id: 'string',
      text: 'string',
      type: 'string',
      answers: 'object',
      user_answers: 'object',
    },
  },
  {
    source: 'py:UserNotEnrolledError (no progress in the survey)',
    call: get('getsurveyanswers', { survey_id: 27, user_id: 1 }),
    status: 400,
    message: 'User does not have a progress registered for the survey',
  },
  {
    source: 'py:UnitDoesNotExistError (getsurveyanswers)',
    call: get('getsurveyanswers', { survey_id: 99, user_id: 1 }),
    status: 404,
    message: 'The requested unit does not exist',
  },
  {
    source: 'manual p.48 (Get ILT sessions)',
    call: get('getiltsessions', { ilt_id: 24 }),
    status: 200,
    list: true,
    shape: {
      id: 'string',
      name: 'string',
      multiname: 'string',
      linked_to: 'string',
      type: 'string',
      owner_id: 'string',
      instructor_id: 'string',
      description: 'string',
      location: 'string',
      start_timestamp: 'string',
      start_date: 'string',
      capacity: 'string',
      duration_minutes: 'string',
    },
  },
  {
    source: 'manual p.48 (an ILT id of no ILT unit)',
    call: get('getiltsessions', { ilt_id: 20 }),
    status: 404,
    message: 'The requested unit does not exist',
  },
  {
    source: 'manual p.8 (a required parameter is missing: getiltsessions without ilt_id)',
    call: get('getiltsessions'),
    status: 400,
    message: INVALID,
  },
  // Timeline (manual p.51, event types p.67)
  {
    source: 'manual p.51 (nothing happened yet: an empty list)',
    call: get('gettimeline', { event_type: 'user_login_user' }),
    status: 200,
    list: true,
    shape: {},
  },
  {
    source: 'manual p.51, p.8 (an event type not in the mappings)',
    call: get('gettimeline', { event_type: 'user_dance' }),
    status: 400,
    message: INVALID,
  },
  // Site (manual pp. 8-10)
  {
    source: 'manual p.10 (Rate limits)',
    call: get('ratelimit'),
    status: 200,
    shape: { limit: 'string', remaining: 'string', reset: 'string', formatted_reset: 'string' },
  },
  {
    source: 'manual p.50 (Domain details), py:siteinfo',
    call: get('siteinfo'),
    status: 200,
    shape: { total_users: 'string', date_format: 'string', limits: 'object' },
  },
  {
    source: 'fixtures/error-unknown-action.json, py:InvalidRequestError',
    call: get('is_user_online'),
    status: 404,
    message: 'The requested API action does not exist',
  },
];

describe('TalentLMS API v1 as public clients call it', () => {
  const sim = useSim(SEED);

  it.each(
    ROWS.map((row) => [`${row.call.method} ${row.call.action} (${row.source})`, row] as const),
  )('%s', async (_label, row) => {
    const { method, action, params } = row.call;
    const answer =
      method === 'GET'
        ? await sim().api(params ? `${action}/${pathParams(params)}` : action)
        : await sim().api(action, {
            form: Object.fromEntries(Object.entries(params ?? {}).map(([k, v]) => [k, String(v)])),
          });
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect({ status: answer.status, body: answer.body }).toMatchObject({ status: row.status });
    if (row.message !== undefined) {
      expect(answer.body).toEqual(portalError(row.message));
      return;
    }
    let value = row.list ? answer.body[0] : answer.body;
    for (const key of row.at ?? []) value = value?.[key];
    if (row.list) expect(Array.isArray(answer.body)).toBe(true);
    const kinds = Object.fromEntries(
      Object.keys(row.shape ?? {}).map((key) => [key, kindOf(value?.[key])]),
    );
    expect(kinds).toEqual(row.shape);
  });

  it("calls every action of the manual's summary (pp. 6-8), and no other but an unknown one", () => {
    const called = new Set(ROWS.map((row) => row.call.action));
    expect(MANUAL_ACTIONS.filter((action) => !called.has(action))).toEqual([]);
    expect([...called].filter((action) => !MANUAL_ACTIONS.includes(action))).toEqual([
      'is_user_online',
    ]);
  });
});
