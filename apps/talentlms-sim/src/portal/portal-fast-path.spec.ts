import { FAST_FORM_MAX_BYTES, fastCall } from './portal-fast-path';
import { useSim } from '../testing/sim-harness';

const FORM = 'application/x-www-form-urlencoded';

describe('fastCall: the portal calls the HTTP server answers ahead of Express', () => {
  it('takes GET and HEAD on every portal API path, with the query read the simple way', () => {
    expect(
      fastCall('GET', '/api/v1/users/email:a@b.c?x=1&x=2&y=', { host: 'acme.localhost:3080' }),
    ).toEqual({
      path: '/api/v1/users/email:a@b.c',
      hostname: 'acme.localhost',
      query: Object.assign(Object.create(null), { x: ['1', '2'], y: '' }),
      form: false,
    });
    expect(fastCall('HEAD', '/portals/acme/API/v1/siteinfo', { host: '[::1]:3080' })).toMatchObject(
      {
        path: '/portals/acme/API/v1/siteinfo',
        hostname: '[::1]',
      },
    );
    expect(fastCall('GET', '/api', {})).toMatchObject({ path: '/api', hostname: undefined });
  });

  it('takes POST only with a small UTF-8 form body of known length', () => {
    const post = (headers: Record<string, string>) =>
      fastCall('POST', '/api/v1/usersignup', headers);
    expect(post({ 'content-type': FORM, 'content-length': '120' })).toMatchObject({ form: true });
    expect(
      post({ 'content-type': `${FORM};charset=UTF-8`, 'content-length': '120' }),
    ).toBeDefined();
    expect(
      post({ 'content-type': FORM, 'content-length': String(FAST_FORM_MAX_BYTES + 1) }),
    ).toBeUndefined();
    expect(post({ 'content-type': FORM })).toBeUndefined();
    expect(post({ 'content-type': FORM, 'transfer-encoding': 'chunked' })).toBeUndefined();
    expect(
      post({ 'content-type': `${FORM}; charset=latin2`, 'content-length': '12' }),
    ).toBeUndefined();
    expect(
      post({ 'content-type': FORM, 'content-length': '12', 'content-encoding': 'gzip' }),
    ).toBeUndefined();
    expect(post({ 'content-type': 'application/json', 'content-length': '12' })).toBeUndefined();
    expect(
      post({ 'content-type': 'multipart/form-data; boundary=x', 'content-length': '12' }),
    ).toBeUndefined();
  });

  it('leaves everything else to Express', () => {
    expect(fastCall('GET', '/apix/v1/users', {})).toBeUndefined();
    expect(fastCall('GET', '/_sim/state', {})).toBeUndefined();
    expect(fastCall('GET', '/api/v1/users#x', {})).toBeUndefined();
    expect(fastCall('GET', '/api/v1/users', { 'content-length': '3' })).toBeUndefined();
    expect(fastCall('PUT', '/api/v1/users', {})).toBeUndefined();
    expect(fastCall('DELETE', '/api/v1/users', {})).toBeUndefined();
  });
});

describe('the fast path and the Express way answer alike', () => {
  const sim = useSim({});

  it('a form signup (fast) and a multipart one (Express) make the same user', async () => {
    const fields = {
      first_name: 'Ann',
      last_name: 'Lee',
      email: 'ann@x.io',
      login: 'ann',
      password: 'Passw0rd!x',
    };
    const fast = await sim().api('usersignup', { form: fields });
    const multipart = new FormData();
    for (const [name, value] of Object.entries({ ...fields, email: 'bo@x.io', login: 'bo' }))
      multipart.set(name, value);
    const slow = await sim().api('usersignup', { multipart });
    expect(fast.status).toBe(200);
    expect(slow.status).toBe(200);
    expect(Object.keys(fast.body)).toEqual(Object.keys(slow.body));
    // Only the Express way passes the service middleware that answers a trace header.
    expect(fast.headers.get('traceparent')).toBeNull();
    expect(slow.headers.get('traceparent')).not.toBeNull();
    expect(fast.headers.get('content-type')).toBe(slow.headers.get('content-type'));
    const found = await sim().api('users/email:ann@x.io');
    expect(found.body).toMatchObject({ id: fast.body.id, login: 'ann' });
  });
});
