// Filled in by the capability that needs it (see issues); kept so the project typechecks.
export {};
