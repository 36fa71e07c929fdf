import { Writable } from 'node:stream';
import pino from 'pino';
import { redactPaths, redactUrl, REDACTED } from './redaction';

function captureLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ redact: { paths: redactPaths(), censor: REDACTED } }, stream), lines };
}

describe('log redaction', () => {
  it.each([
    ['top level', { apiKey: 'k3y-SECRET', ssn: '123-45-6789' }],
    ['nested', { settings: { apiKey: 'k3y-SECRET' }, employee: { ssn: '123-45-6789' } }],
    ['deep', { run: { items: { first: { ssn: '123-45-6789', apiKey: 'k3y-SECRET' } } } }],
    ['headers', { req: { headers: { authorization: 'Bearer k3y-SECRET' } } }],
  ])('hides secrets and SSNs (%s)', (_label, object) => {
    const { logger, lines } = captureLogger();
    logger.info(object, 'something happened');
    const output = lines.join('');
    expect(output).toContain('something happened');
    expect(output).not.toContain('k3y-SECRET');
    expect(output).not.toContain('123-45-6789');
    expect(output).toContain(REDACTED);
  });
});

describe(redactUrl.name, () => {
  it.each([
    ['/api/v1/users/email:ann.lee@example.com', '/api/v1/users/email:[redacted]'],
    ['/api/v1/users/email:ann%40example.com?x=1', '/api/v1/users/email:[redacted]?x=1'],
    ['/employees?email=ann@example.com&page=2', '/employees?email=[redacted]&page=2'],
    ['/api/v1/users/id:5', '/api/v1/users/id:5'],
  ])('hides e-mail addresses in %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
