import { BaseEnv, DatabaseEnv, HttpEnv, NatsEnv, SecretsEnv } from '@talentsync/shared/config';

/** lms-connector settings; see the env table in apps/lms-connector/README.md. */
export class LmsEnv extends SecretsEnv(DatabaseEnv(NatsEnv(HttpEnv(BaseEnv, 3002)), 'lms')) {}
