// Request/reply contracts of lms-connector (`lms.*` subjects) and the LMS shapes they carry.
export * from './lms-user';
export * from './lms-errors';
export * from './portal-ref';
export * from './user-fields';
export * from './verify-portal.request';
export * from './list-branches.request';
export * from './list-custom-fields.request';
export * from './list-users.request';
export * from './get-user.request';
export * from './create-user.request';
export * from './update-user.request';
export * from './set-user-status.request';
export * from './courses.request';
export * from './enrol-user.request';
export * from './call-budget.request';
export * from './reseal-key.request';
