import { LmsErrorCodes } from '@talentsync/contracts';
import { errorFromAnswer, errorFromNetwork, retryAfterMs } from './talentlms-v1.errors';

const json = (status: number, message: string, type = 'invalid_request_error') => {
  const body = { error: { type, message } };
  return { status, text: JSON.stringify(body), json: body };
};

describe(errorFromAnswer.name, () => {
  it.each([
    [
      json(401, 'Invalid API key provided'),
      LmsErrorCodes.invalidKey,
      false,
      false,
      /invalid API key/,
    ],
    [
      json(403, 'API is not enabled for the specified domain'),
      LmsErrorCodes.apiDisabled,
      false,
      false,
      /API is not enabled on this portal/,
    ],
    [
      json(403, 'The specified domain is currently inactive'),
      LmsErrorCodes.domainInactive,
      false,
      false,
      /inactive/,
    ],
    [
      json(404, 'The requested user does not exist'),
      LmsErrorCodes.notFound,
      false,
      false,
      /user does not exist/,
    ],
    [
      json(404, 'The requested API action does not exist'),
      LmsErrorCodes.invalidRequest,
      false,
      false,
      /does not know the API action/,
    ],
    [
      json(400, 'A user with the same email address already exists'),
      LmsErrorCodes.duplicateEmail,
      false,
      false,
      /same email/,
    ],
    [
      json(400, 'A user with the same username already exists'),
      LmsErrorCodes.duplicateLogin,
      false,
      false,
      /same username/,
    ],
    [
      json(400, 'Missing required parameter: email'),
      LmsErrorCodes.invalidRequest,
      false,
      false,
      /refused users \(400\): Missing required parameter: email/,
    ],
    [
      json(429, 'API rate limit exceeded', 'api_error'),
      LmsErrorCodes.rateLimited,
      true,
      false,
      /rate limit exceeded/,
    ],
    [
      json(500, 'Internal server error', 'api_error'),
      LmsErrorCodes.serverError,
      true,
      true,
      /failed with 500/,
    ],
    [json(503, 'down', 'api_error'), LmsErrorCodes.serverError, true, true, /503/],
    [
      { status: 502, text: '<html>Bad gateway</html>' },
      LmsErrorCodes.serverError,
      true,
      true,
      /502 \(an HTML page\)/,
    ],
    [
      { status: 200, text: '{"id":"1",' },
      LmsErrorCodes.badResponse,
      true,
      true,
      /200 with a body that is not JSON/,
    ],
    [{ status: 200, text: '' }, LmsErrorCodes.badResponse, true, true, /an empty body/],
    [
      { status: 404, text: '<!DOCTYPE html><html></html>' },
      LmsErrorCodes.badResponse,
      false,
      false,
      /HTML page \(404\)/,
    ],
    [
      { status: 401, text: '<html>login</html>' },
      LmsErrorCodes.invalidKey,
      false,
      false,
      /invalid API key/,
    ],
    [json(418, 'teapot'), LmsErrorCodes.invalidRequest, false, false, /418/],
  ])('%j -> %s (retryable %s, ambiguous %s)', (answer, code, retryable, ambiguous, message) => {
    const error = errorFromAnswer(answer, 'users');
    expect(error).toMatchObject({ code, retryable, ambiguous, origin: 'portal' });
    expect(error.message).toMatch(message);
  });

  it('honours Retry-After on a 429', () => {
    const error = errorFromAnswer(
      { ...json(429, 'API rate limit exceeded'), retryAfter: '3' },
      'users',
    );
    expect(error.retryAfterMs).toBe(3000);
    expect(error.message).toMatch(/retry after 3 s/);
  });

  it('blanks values we sent (password, SSN) out of a portal message', () => {
    const error = errorFromAnswer(
      json(400, 'Invalid value for custom_field_2: 123-45-6789'),
      'edituser',
      ['123-45-6789'],
    );
    expect(error.message).not.toContain('123-45-6789');
    expect(error.message).toContain('custom_field_2: ***');
  });
});

describe(errorFromNetwork.name, () => {
  const failed = (code: string) =>
    Object.assign(new TypeError('fetch failed'), { cause: { code } });

  it.each([
    [failed('ECONNREFUSED'), LmsErrorCodes.unreachable, true, false, /connection refused/],
    [failed('ENOTFOUND'), LmsErrorCodes.unreachable, false, false, /host not found/],
    [failed('ECONNRESET'), LmsErrorCodes.unreachable, true, true, /dropped/],
    [failed('UND_ERR_SOCKET'), LmsErrorCodes.unreachable, true, true, /dropped/],
    [failed('DEPTH_ZERO_SELF_SIGNED_CERT'), LmsErrorCodes.unreachable, false, false, /TLS failed/],
    [
      failed('UND_ERR_CONNECT_TIMEOUT'),
      LmsErrorCodes.timeout,
      true,
      false,
      /did not accept a connection/,
    ],
    [
      Object.assign(new Error('aborted'), { name: 'TimeoutError' }),
      LmsErrorCodes.timeout,
      true,
      true,
      /within 1500 ms/,
    ],
    [new Error('something else'), LmsErrorCodes.unreachable, true, true, /network error/],
  ])('%#: -> %s (retryable %s, ambiguous %s)', (error, code, retryable, ambiguous, message) => {
    const mapped = errorFromNetwork(error, 'usersignup', 1500);
    expect(mapped).toMatchObject({ code, retryable, ambiguous });
    expect(mapped.message).toMatch(message);
  });
});

describe(retryAfterMs.name, () => {
  it.each([
    ['2', 2000],
    ['0.5', 500],
    [null, undefined],
    ['soon', undefined],
  ])('%j -> %j', (header, ms) => {
    expect(retryAfterMs(header)).toBe(ms);
  });

  it('reads an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
  });
});
