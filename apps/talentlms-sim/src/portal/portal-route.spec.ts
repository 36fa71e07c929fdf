import { parsePortalPath } from './portal-route';

describe(parsePortalPath.name, () => {
  it.each([
    ['/api/v1/users', 'users', {}],
    ['/api/v1/Users/', 'users', {}],
    [
      '/API/V1/USERSETSTATUS/user_id:5,status:inactive',
      'usersetstatus',
      { user_id: '5', status: 'inactive' },
    ],
    ['/api/v1/users/page_size:100,page_number:2', 'users', { page_size: '100', page_number: '2' }],
    ['/api/v1/users/email:ann%2Blee%40example.com', 'users', { email: 'ann+lee@example.com' }],
    ['/api/v1/users/EMAIL:a@b.c', 'users', { email: 'a@b.c' }],
    // PHP's urldecode: `+` is a space, %2B a plus.
    ['/api/v1/users/username:john+smith', 'users', { username: 'john smith' }],
    [
      '/api/v1/getusersbycustomfield/custom_field_value:a:b',
      'getusersbycustomfield',
      { custom_field_value: 'a:b' },
    ],
    ['/api/v1', '', {}],
  ])('reads %s', (path, action, params) => {
    expect(parsePortalPath(path)).toEqual({ kind: 'action', action, params });
  });

  it.each([
    '/api',
    '/api/v2/users',
    '/api/v1/usersetstatus/5,inactive',
    '/api/v1/usersetstatus/user_id:5/status:inactive',
    '/api/v1/users/id:5,',
    '/api/v1/users/:5',
    '/api/v1/users/email:%E0%A4%A',
  ])('finds %s malformed', (path) => {
    expect(parsePortalPath(path)).toEqual({ kind: 'malformed' });
  });
});
