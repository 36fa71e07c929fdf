// Request/reply contracts of lms-connector (`lms.*` subjects) and the LMS shapes they carry.
export * from './lms-user';
