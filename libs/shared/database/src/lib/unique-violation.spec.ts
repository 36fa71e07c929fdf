import { uniqueViolation } from './unique-violation';

describe(uniqueViolation.name, () => {
  it.each([
    [
      'pg error',
      { code: '23505', constraint: 'employees_email_uidx' },
      { constraint: 'employees_email_uidx' },
    ],
    [
      "TypeORM's QueryFailedError",
      Object.assign(new Error('duplicate key'), {
        code: '23505',
        driverError: { code: '23505', constraint: 'one_active_run' },
      }),
      { constraint: 'one_active_run' },
    ],
    ['a violation Postgres does not name', { code: '23505' }, {}],
    ['another SQLSTATE', { code: '23503', constraint: 'fk' }, undefined],
    ['a lost connection', { code: 'ECONNRESET' }, undefined],
    ['not an object', 'boom', undefined],
    ['null', null, undefined],
  ])('%s -> %j', (_what, error, expected) => {
    expect(uniqueViolation(error)).toEqual(expected);
  });
});
