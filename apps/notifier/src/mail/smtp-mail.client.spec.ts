import { MailErrorCodes } from './mail-transport.port';
import { toMailError } from './smtp-mail.client';

function smtpError(message: string, fields: { code?: string; responseCode?: number }) {
  return Object.assign(new Error(message), fields);
}

describe(toMailError.name, () => {
  it.each([
    [
      'a refused connection',
      smtpError('connect ECONNREFUSED 127.0.0.1:2525', { code: 'ESOCKET' }),
      true,
    ],
    ['a timeout', smtpError('Greeting never received', { code: 'ETIMEDOUT' }), true],
    ['a dropped connection', smtpError('Connection closed', { code: 'ECONNECTION' }), true],
    ['a 421 "try later"', smtpError('421 busy', { code: 'EENVELOPE', responseCode: 421 }), true],
    [
      'a 451 greylisting',
      smtpError('451 greylisted', { code: 'EMESSAGE', responseCode: 451 }),
      true,
    ],
    [
      'a 535 bad login',
      smtpError('Invalid login: 535', { code: 'EAUTH', responseCode: 535 }),
      false,
    ],
    [
      'a 550 refused recipient',
      smtpError('550 no such user', { code: 'EENVELOPE', responseCode: 550 }),
      false,
    ],
    ['a bad envelope', smtpError('No recipients defined', { code: 'EENVELOPE' }), false],
    ['missing credentials', smtpError('Missing credentials', { code: 'EAUTH' }), false],
    ['an unknown failure', new Error('something odd'), true],
  ])('treats %s as retryable=%s', (_case, error, retryable) => {
    const sut = toMailError(error);
    expect(sut.retryable).toBe(retryable);
    expect(sut.code).toBe(retryable ? MailErrorCodes.unavailable : MailErrorCodes.rejected);
    expect(sut.message).toContain(error.message);
  });

  it('names the SMTP code and reply code', () => {
    const sut = toMailError(
      smtpError('550 no such user', { code: 'EENVELOPE', responseCode: 550 }),
    );
    expect(sut.message).toBe('SMTP EENVELOPE 550: 550 no such user');
  });
});
