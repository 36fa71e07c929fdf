import { CreateOutbox1764300000000 } from '@talentsync/shared/messaging';

/** Applied in this order; never edit one that has landed, add a new one. */
export const migrations = [CreateOutbox1764300000000];
