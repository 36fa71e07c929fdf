import { BaseEnv, DatabaseEnv, HttpEnv, NatsEnv } from '@talentsync/shared/config';

/** sync-orchestrator settings; see the env table in apps/sync-orchestrator/README.md. */
export class SyncEnv extends DatabaseEnv(NatsEnv(HttpEnv(BaseEnv, 3003)), 'sync') {}
