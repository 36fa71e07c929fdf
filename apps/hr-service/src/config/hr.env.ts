import { Matches } from 'class-validator';
import {
  BaseEnv,
  DatabaseEnv,
  DURATION,
  HttpEnv,
  NatsEnv,
  parseDuration,
  RpcServerEnv,
} from '@talentsync/shared/config';

/** hr-service settings; see the env table in apps/hr-service/README.md. */
export class HrEnv extends RpcServerEnv(DatabaseEnv(NatsEnv(HttpEnv(BaseEnv, 3001)), 'hr')) {
  /** How often terminations whose date has come are applied (also once at start). */
  @Matches(DURATION, {
    message: 'TERMINATION_CHECK_INTERVAL must be a duration such as 500ms, 30s, 1m',
  })
  TERMINATION_CHECK_INTERVAL = '1m';

  get terminationCheckIntervalMs(): number {
    return parseDuration(this.TERMINATION_CHECK_INTERVAL);
  }
}
