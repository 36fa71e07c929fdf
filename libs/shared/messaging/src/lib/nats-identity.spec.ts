import { natsConnectOptions } from './nats-identity';

const base = { NATS_CONNECT_TIMEOUT_MS: 5_000 };

describe(natsConnectOptions.name, () => {
  it('connects anonymously without an identity (a local development server)', () => {
    const sut = natsConnectOptions({ ...base, NATS_URL: 'nats://127.0.0.1:4222' }, 'notifier');
    expect(sut).toEqual({ servers: ['nats://127.0.0.1:4222'], name: 'notifier' });
  });

  it('uses NATS_USER/NATS_PASSWORD and an inbox only that user may read', () => {
    const sut = natsConnectOptions(
      {
        ...base,
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
    const sut = natsConnectOptions(
      { ...base, NATS_URL: 'nats://hr-service:p%40ss@nats:4222' },
      'hr-service',
    );
    expect(sut).toMatchObject({
      servers: ['nats://nats:4222'],
      user: 'hr-service',
      pass: 'p@ss',
      inboxPrefix: '_INBOX.hr-service',
    });
  });

  it('prefers NATS_USER/NATS_PASSWORD over the URL', () => {
    const sut = natsConnectOptions(
      { ...base, NATS_URL: 'nats://x:y@nats:4222', NATS_USER: 'notifier', NATS_PASSWORD: 'pw' },
      'notifier',
    );
    expect(sut).toMatchObject({ servers: ['nats://nats:4222'], user: 'notifier', pass: 'pw' });
  });
});
