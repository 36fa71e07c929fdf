// Request/reply contracts of hr-service (`hr.*` subjects): one file per request.
export {};
