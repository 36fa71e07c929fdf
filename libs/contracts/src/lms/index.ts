// Request/reply contracts of lms-connector (`lms.*` subjects): one file per request.
export {};
