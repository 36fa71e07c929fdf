import { BaseEnv, DatabaseEnv, HttpEnv, NatsEnv } from '@talentsync/shared/config';

/** hr-service settings; see the env table in apps/hr-service/README.md. */
export class HrEnv extends DatabaseEnv(NatsEnv(HttpEnv(BaseEnv, 3001)), 'hr') {}
