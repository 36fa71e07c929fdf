import { CreateNotifications1764355200000 } from './1764355200000-create-notifications';

/** Applied in this order; never edit one that has landed, add a new one. */
export const migrations: (new () => object)[] = [CreateNotifications1764355200000];
