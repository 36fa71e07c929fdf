import { Client } from 'pg';

/** One statement as a pg client sent it: the client (a pooled connection), its text and values. */
export interface SentStatement {
  client: Client;
  text: string;
  values: unknown[];
}

/**
 * Shows `seen` every statement any pg client sends, until the returned function is called: the
 * cost specs count round trips and transactions where the driver sends them, under whatever
 * TypeORM, prepared statements or raw clients do above it.
 */
export function watchStatements(seen: (statement: SentStatement) => void): () => void {
  const original = Client.prototype.query;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    const [query, values] = args as [string | { text: string; values?: unknown[] }, unknown[]?];
    seen({
      client: this,
      text: typeof query === 'string' ? query : query.text,
      values: (typeof query === 'string' ? values : query.values) ?? [],
    });
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return () => {
    Client.prototype.query = original;
  };
}
