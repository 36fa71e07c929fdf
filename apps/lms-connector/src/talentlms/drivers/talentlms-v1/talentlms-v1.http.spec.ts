import { requestPath } from './talentlms-v1.http';

describe(requestPath.name, () => {
  it.each([
    [{ action: 'users' }, '/api/v1/users'],
    [{ action: 'users', params: { id: '5' } }, '/api/v1/users/id:5'],
    [{ action: 'users', params: { email: 'a@b.c' } }, '/api/v1/users/email:a@b.c'],
    [
      { action: 'usersetstatus', params: { user_id: '5', status: 'inactive' } },
      '/api/v1/usersetstatus/user_id:5,status:inactive',
    ],
    [
      { action: 'users', params: { page_size: 100, page_number: 2 } },
      '/api/v1/users/page_size:100,page_number:2',
    ],
    // a value can never add a parameter or a path segment
    [
      { action: 'users', params: { email: 'x,status:y/z@b.c' } },
      '/api/v1/users/email:x%2Cstatus%3Ay%2Fz@b.c',
    ],
  ])('%j -> %s', (request, path) => {
    expect(requestPath(request)).toBe(path);
  });
});
