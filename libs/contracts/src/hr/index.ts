// Request/reply contracts of hr-service (`hr.*` subjects): one file per request.
export * from './paging';
export * from './list-employees.request';
export * from './get-employee.request';
export * from './upsert-employee-from-lms.request';
export * from './training-record';
export * from './store-training.request';
export * from './list-training.request';
export * from './enrolment-requests.request';
export * from './company';
