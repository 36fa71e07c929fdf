import { describeSmtp, parseSmtpUrl } from './smtp-url';

describe(parseSmtpUrl.name, () => {
  it.each([
    [
      'smtp://mail.example.com:2525',
      { host: 'mail.example.com', port: 2525, secure: false, requireTls: false },
    ],
    [
      'smtp://mail.example.com',
      { host: 'mail.example.com', port: 587, secure: false, requireTls: false },
    ],
    [
      'smtps://mail.example.com',
      { host: 'mail.example.com', port: 465, secure: true, requireTls: false },
    ],
    ['smtp://127.0.0.1:25/', { host: '127.0.0.1', port: 25, secure: false, requireTls: false }],
    ['smtp://[::1]:25', { host: '::1', port: 25, secure: false, requireTls: false }],
    [
      'smtp://ops%40example.com:p%40ss%3Aword@mail.example.com:587',
      {
        host: 'mail.example.com',
        port: 587,
        secure: false,
        requireTls: true,
        auth: { user: 'ops@example.com', pass: 'p@ss:word' },
      },
    ],
  ])('reads %s', (url, expected) => {
    expect(parseSmtpUrl(url)).toEqual(expected);
  });

  it('requires STARTTLS for credentials over smtp:// unless insecure auth is allowed', () => {
    const url = 'smtp://ops:secret@mail.example.com:587';
    expect(parseSmtpUrl(url).requireTls).toBe(true);
    expect(parseSmtpUrl(url, { allowInsecureAuth: true }).requireTls).toBe(false);
    expect(parseSmtpUrl('smtps://ops:secret@mail.example.com').requireTls).toBe(false);
  });

  it.each([
    ['mail server on port 25', /not a URL/],
    ['mail.example.com:25', /must start with smtp:\/\/ or smtps:\/\//],
    ['http://mail.example.com', /must start with smtp:\/\/ or smtps:\/\//],
    ['smtp://mail.example.com:0', /port must be between 1 and 65535/],
    ['smtp://mail.example.com:70000', /port must be between 1 and 65535/],
    ['smtp://mail.example.com:25/inbox', /must not have a path, query or fragment/],
    ['smtp://mail.example.com:25?secure=true', /must not have a path, query or fragment/],
    ['smtp://user@mail.example.com:25', /both a user name and a password, or neither/],
    ['smtp://user:p%zzsecret@mail.example.com:25', /bad %-escape/],
  ])('refuses %s, saying why', (url, problem) => {
    expect(() => parseSmtpUrl(url)).toThrow(problem);
  });

  it('never repeats the password in its complaint', () => {
    const attempt = () => parseSmtpUrl('smtp://user:hunter2secret@mail.example.com:25/x');
    expect(attempt).toThrow(/path/);
    expect(attempt).not.toThrow(/hunter2secret/);
  });
});

describe(describeSmtp.name, () => {
  it('hides the credentials', () => {
    const sut = describeSmtp(parseSmtpUrl('smtps://ops:hunter2secret@mail.example.com'));
    expect(sut).toBe('smtps://user:***@mail.example.com:465');
  });
});
