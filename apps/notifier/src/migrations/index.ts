/** Applied in this order; never edit one that has landed, add a new one. */
export const migrations: (new () => object)[] = [];
