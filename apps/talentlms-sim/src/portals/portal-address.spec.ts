import {
  DEFAULT_PORTAL,
  portalFromHost,
  portalFromPath,
  portalNameProblem,
} from './portal-address';

describe(portalFromHost.name, () => {
  it.each([
    ['acme.talentlms.localhost', 'acme'],
    ['ACME.TalentLMS.localhost', 'acme'],
    ['acme.localhost', 'acme'],
    ['acme.localhost.', 'acme'],
    ['localhost', DEFAULT_PORTAL],
    ['talentlms.localhost', DEFAULT_PORTAL],
    ['127.0.0.1', DEFAULT_PORTAL],
    ['talentlms-sim', DEFAULT_PORTAL],
    ['acme.talentlms.com', DEFAULT_PORTAL],
    ['a.b.localhost', DEFAULT_PORTAL],
    [undefined, DEFAULT_PORTAL],
  ])('reads %s as portal %s', (host, name) => {
    expect(portalFromHost(host)).toBe(name);
  });
});

describe(portalFromPath.name, () => {
  it.each([
    ['/portals/acme/api/v1/users', { name: 'acme', path: '/api/v1/users' }],
    ['/portals/Acme/api', { name: 'acme', path: '/api' }],
    ['/api/v1/users', { path: '/api/v1/users' }],
    ['/portals/acme/other', { path: '/portals/acme/other' }],
  ])('reads %s', (path, expected) => {
    expect(portalFromPath(path)).toEqual(expected);
  });
});

describe(portalNameProblem.name, () => {
  it.each(['acme', 'a', 'acme-2', '0x'])('takes %s', (name) => {
    expect(portalNameProblem(name)).toBeUndefined();
  });

  it.each(['', 'Acme', '-acme', 'acme-', 'a.b', 'a_b', 'x'.repeat(64), 42, DEFAULT_PORTAL])(
    'refuses %s',
    (name) => {
      expect(portalNameProblem(name)).toMatch(/name/);
    },
  );
});
