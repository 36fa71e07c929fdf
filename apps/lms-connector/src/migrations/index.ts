import { CreateCallBudget1764500000000 } from './1764500000000-create-call-budget';

/** Applied in this order; never edit one that has landed, add a new one. */
export const migrations = [CreateCallBudget1764500000000];
