import { isConnectionLost } from './connection-lost';

describe(isConnectionLost.name, () => {
  it.each([
    [
      'a session ended by pg_terminate_backend',
      { code: '57P01', message: 'terminating connection due to administrator command' },
    ],
    ['a reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a connection the pool saw end', new Error('Connection terminated unexpectedly')],
    [
      'a transaction whose session went away',
      new Error('Query runner already released. Cannot run queries anymore.'),
    ],
    [
      'a pooled connection the server ended while nobody used it',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    [
      'a manager whose transaction lost its session',
      new Error(
        'Database connection provided by a query runner was already released, cannot continue to use its querying methods anymore.',
      ),
    ],
    [
      'a TypeORM error around a lost session',
      { message: 'query failed', driverError: { code: '57P01' } },
    ],
  ])('%s: yes', (_, error) => {
    expect(isConnectionLost(error)).toBe(true);
  });

  it.each([
    ['a unique violation', { code: '23505', message: 'duplicate key value' }],
    ['a syntax error', { code: '42601', message: 'syntax error' }],
    ['an error of another kind', new Error('LMS_TIMEOUT: no answer')],
    ['nothing', undefined],
  ])('%s: no', (_, error) => {
    expect(isConnectionLost(error)).toBe(false);
  });
});
