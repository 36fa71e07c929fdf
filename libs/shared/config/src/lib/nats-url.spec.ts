import { natsUrlCredentials, redactNatsUrl, withoutCredentials } from './nats-url';

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

  it('takes the credentials out of a URL', () => {
    expect(withoutCredentials('nats://u:p@nats:4222')).toBe('nats://nats:4222');
  });
});
