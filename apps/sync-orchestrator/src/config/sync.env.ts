import { BaseEnv, DatabaseEnv, HttpEnv, NatsEnv, SecretsEnv } from '@talentsync/shared/config';

/** sync-orchestrator settings; see the env table in apps/sync-orchestrator/README.md. */
export class SyncEnv extends SecretsEnv(DatabaseEnv(NatsEnv(HttpEnv(BaseEnv, 3003)), 'sync')) {}
