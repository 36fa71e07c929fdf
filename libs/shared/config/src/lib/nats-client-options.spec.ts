import { natsClientOptions, natsUrlCredentials, redactNatsUrl } from './nats-client-options';

describe(redactNatsUrl.name, () => {
  it.each([
    ['nats://hr-service:s3cret@nats:4222', 'nats://***@nats:4222'],
    ['nats://token@nats:4222', 'nats://***@nats:4222'],
    ['nats://a:p%40ss@n1:4222,tls://b:q@n2:4222', 'nats://***@n1:4222,tls://***@n2:4222'],
    ['nats://127.0.0.1:4222', 'nats://127.0.0.1:4222'],
  ])('%s -> %s', (url, shown) => expect(redactNatsUrl(url)).toBe(shown));
});

describe(natsUrlCredentials.name, () => {
  it('reads user and password of the first URL, decoded', () => {
    expect(natsUrlCredentials('nats://hr-service:p%40ss@nats:4222,nats://x:y@n2')).toEqual({
      user: 'hr-service',
      pass: 'p@ss',
    });
  });

  it('is undefined without credentials or for a URL it cannot read', () => {
    expect(natsUrlCredentials('nats://127.0.0.1:4222')).toBeUndefined();
    expect(natsUrlCredentials('not a url')).toBeUndefined();
  });
});

describe(natsClientOptions.name, () => {
  it('connects anonymously without an identity (a local development server)', () => {
    const sut = natsClientOptions({ NATS_URL: 'nats://127.0.0.1:4222' }, 'notifier');
    expect(sut).toEqual({ servers: ['nats://127.0.0.1:4222'], name: 'notifier' });
  });

  it('uses NATS_USER/NATS_PASSWORD and an inbox only that user may read', () => {
    const sut = natsClientOptions(
      {
        NATS_URL: 'nats://a:4222,nats://b:4222',
        NATS_USER: 'notifier',
        NATS_PASSWORD: 'pw',
      },
      'notifier',
    );
    expect(sut).toEqual({
      servers: ['nats://a:4222', 'nats://b:4222'],
      name: 'notifier',
      user: 'notifier',
      pass: 'pw',
      inboxPrefix: '_INBOX.notifier',
    });
  });

  it('takes the identity out of NATS_URL, so the client never holds it in a URL', () => {
    const sut = natsClientOptions({ NATS_URL: 'nats://hr-service:p%40ss@nats:4222' }, 'hr-service');
    expect(sut).toMatchObject({
      servers: ['nats://nats:4222'],
      user: 'hr-service',
      pass: 'p@ss',
      inboxPrefix: '_INBOX.hr-service',
    });
  });

  it('prefers NATS_USER/NATS_PASSWORD over the URL', () => {
    const sut = natsClientOptions(
      { NATS_URL: 'nats://x:y@nats:4222', NATS_USER: 'notifier', NATS_PASSWORD: 'pw' },
      'notifier',
    );
    expect(sut).toMatchObject({ servers: ['nats://nats:4222'], user: 'notifier', pass: 'pw' });
  });
});
