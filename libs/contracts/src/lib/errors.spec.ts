import { AppError, describeError, errorCode, isRetryable, NotFoundError } from './errors';

const failure = (fields: object) => Object.assign(new Error('went wrong'), fields);

describe(isRetryable.name, () => {
  it.each([
    [
      'an AppError that says retryable',
      new AppError('LMS_TIMEOUT', 't', { retryable: true }),
      true,
    ],
    ['an AppError that says permanent', new AppError('LMS_INVALID_KEY', 'k'), false],
    ['a NotFoundError', new NotFoundError('employee', 'x'), false],
    ['a reply error that says permanent', { code: 'CONFLICT', retryable: false }, false],
    // The one default: an error that does not say comes from outside our code, most often passing.
    ['a plain Error', new Error('socket hang up'), true],
    ['a driver error with a code only', failure({ code: '57P01' }), true],
    ['a non-boolean retryable', failure({ retryable: 'no' }), true],
    ['a thrown string', 'boom', true],
    ['null', null, true],
  ])('%s -> %s', (_what, error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });
});

describe(errorCode.name, () => {
  it.each([
    [new AppError('LMS_RATE_LIMITED', 'm'), 'LMS_RATE_LIMITED'],
    [failure({ code: '23505' }), '23505'],
    [failure({ code: 42 }), undefined],
    [new Error('no code'), undefined],
    [undefined, undefined],
  ])('%p -> %p', (error, expected) => {
    expect(errorCode(error)).toBe(expected);
  });
});

describe(describeError.name, () => {
  it.each([
    [
      new AppError('NOT_FOUND', 'employee 1 does not exist'),
      'NOT_FOUND: employee 1 does not exist',
    ],
    [new AppError('LMS_TIMEOUT', 'LMS_TIMEOUT after 30 s'), 'LMS_TIMEOUT after 30 s'],
    [new Error('plain'), 'plain'],
    ['a string', 'a string'],
  ])('%p -> %p', (error, expected) => {
    expect(describeError(error)).toBe(expected);
  });

  it('never grows past 1000 characters', () => {
    expect(describeError(new Error('x'.repeat(5_000)))).toHaveLength(1000);
  });
});
