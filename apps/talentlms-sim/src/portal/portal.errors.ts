type ErrorType = 'invalid_request_error' | 'api_error';

/** An error answer of the portal: `{"error":{"type":...,"message":...}}` with its status. */
export class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    message: string,
    /** What exactly was wrong, for the simulator's debug log (the portal never says). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'PortalError';
  }
}

const invalid = (status: number, message: string, reason?: string) =>
  new PortalError(status, 'invalid_request_error', message, reason);

/** The manual's "a required parameter is missing or an invalid type", as the portal words it. */
const INVALID_ARGUMENTS = 'Invalid arguments provided';

/** The portal's strong-password rule (site.strongPasswords), in its words. */
export const WEAK_PASSWORD =
  'Password is not strong enough (should have at least (1) upper case letter, at least (1) lower case letter, at least (1) number, at least (8) characters in length)';

/**
 * Every error the portal API answers, in one place (the table in the README names the source
 * of each wording: the recorded fixtures, the API manual, public clients that match on them).
 */
export const PortalErrors = {
  unknownAction: () => invalid(404, 'The requested API action does not exist'),
  invalidApiKey: () => invalid(401, 'Invalid API key provided'),
  apiDisabled: () => invalid(403, 'API is not enabled for the specified domain'),
  domainInactive: () => invalid(403, 'The specified domain is currently inactive'),
  postOnly: () => invalid(400, INVALID_ARGUMENTS, 'this action accepts only POST requests'),
  missing: (name: string) => invalid(400, INVALID_ARGUMENTS, `missing ${name}`),
  invalidValue: (name: string, why: string) => invalid(400, INVALID_ARGUMENTS, `${name}: ${why}`),
  weakPassword: () => invalid(400, WEAK_PASSWORD),
  userNotFound: () => invalid(404, 'The requested user does not exist'),
  courseNotFound: () => invalid(404, 'The requested course does not exist'),
  branchNotFound: () => invalid(404, 'The requested branch does not exist'),
  groupNotFound: () => invalid(404, 'The requested group does not exist'),
  categoryNotFound: () => invalid(404, 'The requested category does not exist'),
  unitNotFound: () => invalid(404, 'The requested unit does not exist'),
  noTestProgress: () => invalid(400, 'User does not have a progress registered for the test'),
  noSurveyProgress: () => invalid(400, 'User does not have a progress registered for the survey'),
  noGroupWithKey: () => invalid(404, 'There is no group with such key'),
  alreadyInGroup: () => invalid(400, 'The requested user is already a member of this group'),
  notInGroup: () => invalid(400, 'The requested user is not a member of this group'),
  courseAlreadyInGroup: () =>
    invalid(400, 'The requested course is already a member of this group'),
  duplicateEmail: () => invalid(400, 'A user with the same email address already exists'),
  duplicateLogin: () => invalid(400, 'A user with the same login already exists'),
  alreadyEnrolled: () => invalid(400, 'The requested user is already enrolled in this course'),
  notEnrolled: () => invalid(400, 'The requested user is not enrolled in this course'),
  alreadyInBranch: () => invalid(400, 'The requested user is already a member of this branch'),
  notInBranch: () => invalid(400, 'The requested user is not a member of this branch'),
  courseAlreadyInBranch: () =>
    invalid(400, 'The requested course is already a member of this branch'),
  wrongLogin: () =>
    invalid(
      400,
      'Your login or password is incorrect. Please try again, making sure that CAPS LOCK key is off',
    ),
  inactiveAccount: () =>
    invalid(
      400,
      'Your account is inactive. Please activate the account using the instructions sent to you via e-mail. If you did not receive the e-mail, check your spam folder.',
    ),
  internal: () => new PortalError(500, 'api_error', 'Internal server error'),
};
