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
};

const get = (action: string, params?: Record<string, string | number>) =>
  ({ method: 'GET', action, params }) as const;
const post = (action: string, params?: Record<string, string | number>) =>
  ({ method: 'POST', action, params }) as const;

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
    call: get('getcategoryleafsandcourses', { id: 3 }),
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
    source: 'manual, siteinfo',
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
    const value = row.list ? answer.body[0] : answer.body;
    if (row.list) expect(Array.isArray(answer.body)).toBe(true);
    const kinds = Object.fromEntries(
      Object.keys(row.shape ?? {}).map((key) => [key, kindOf(value?.[key])]),
    );
    expect(kinds).toEqual(row.shape);
  });

  it('covers every action the simulator serves', async () => {
    const served = new Set(ROWS.map((row) => row.call.action));
    for (const action of [
      'users',
      'usersignup',
      'edituser',
      'usersetstatus',
      'deleteuser',
      'getcustomregistrationfields',
      'userlogin',
      'userlogout',
      'isuseronline',
      'forgotusername',
      'forgotpassword',
      'getusersbycustomfield',
      'courses',
      'createcourse',
      'deletecourse',
      'buycourse',
      'buycategorycourses',
      'addusertocourse',
      'removeuserfromcourse',
      'gotocourse',
      'resetuserprogress',
      'getuserstatusincourse',
      'branches',
      'addusertobranch',
      'removeuserfrombranch',
      'addcoursetobranch',
      'createbranch',
      'deletebranch',
      'branchsetstatus',
      'siteinfo',
      'ratelimit',
      'categories',
      'getcategoryleafsandcourses',
      'groups',
      'addusertogroup',
      'removeuserfromgroup',
      'addcoursetogroup',
      'creategroup',
      'deletegroup',
      'gettimeline',
      'getcustomcoursefields',
      'getcoursesbycustomfield',
    ]) {
      expect(served).toContain(action);
    }
  });
});
