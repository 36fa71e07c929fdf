type ErrorType = 'invalid_request_error' | 'api_error';

/** An error answer of the portal: `{"error":{"type":...,"message":...}}` with its status. */
export class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'PortalError';
  }
}

const invalid = (status: number, message: string) =>
  new PortalError(status, 'invalid_request_error', message);

/**
 * Every error the portal API answers, in one place (the table in the README). The wording of
 * unknownAction is recorded from a real portal; 401/403 follow the API manual.
 */
export const PortalErrors = {
  unknownAction: () => invalid(404, 'The requested API action does not exist'),
  invalidApiKey: () => invalid(401, 'Invalid API key provided'),
  apiDisabled: () => invalid(403, 'API is not enabled for the specified domain'),
  domainInactive: () => invalid(403, 'The specified domain is currently inactive'),
  postOnly: () => invalid(400, 'This API action accepts only POST requests'),
  missing: (name: string) => invalid(400, `Missing required parameter: ${name}`),
  invalidValue: (name: string, why: string) => invalid(400, `Invalid value for ${name}: ${why}`),
  userNotFound: () => invalid(404, 'The requested user does not exist'),
  courseNotFound: () => invalid(404, 'The requested course does not exist'),
  branchNotFound: () => invalid(404, 'The requested branch does not exist'),
  duplicateEmail: () => invalid(400, 'A user with the same email address already exists'),
  duplicateLogin: () => invalid(400, 'A user with the same username already exists'),
  alreadyEnrolled: () => invalid(400, 'The user is already enrolled in this course'),
  notEnrolled: () => invalid(400, 'The user is not enrolled in this course'),
  alreadyInBranch: () => invalid(400, 'The user is already a member of this branch'),
  notInBranch: () => invalid(400, 'The user is not a member of this branch'),
  internal: () => new PortalError(500, 'api_error', 'Internal server error'),
};
