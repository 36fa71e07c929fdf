/** A company id (and a token id) as the database writes it: a lowercase UUID. */
const LOWERCASE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isLowercaseUuid = (value: unknown): value is string =>
  typeof value === 'string' && LOWERCASE_UUID.test(value);
