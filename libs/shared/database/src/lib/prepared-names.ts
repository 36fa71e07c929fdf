import { createHash } from 'node:crypto';

/**
 * The name a statement text is prepared under: a hash of the text, so one name is never used
 * for two texts (pg refuses that on a connection: "Prepared statements must be unique") and a
 * text changed by a deploy gets a name of its own.
 */
export function preparedName(text: string): string {
  return `ts_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
}

/**
 * The statement texts a process prepares, and their names. Each pooled connection keeps every
 * statement prepared on it for life (server memory, a plan each), so the set must stay small and
 * fixed: constant texts only, never one with a value written into it. Past `limit` distinct texts
 * `nameOf` answers undefined (run it unnamed: planned per call as before, nothing kept) and the
 * first such text is reported once: a caller building texts from values is a bug to fix, not a
 * reason to fill every connection.
 */
export class PreparedNames {
  private readonly names = new Map<string, string>();
  private readonly texts = new Map<string, string>();
  private reported = false;

  constructor(
    private readonly limit: number,
    private readonly report: (text: string, limit: number) => void,
    private readonly nameFor: (text: string) => string = preparedName,
  ) {}

  /** `text`'s name, or undefined once `limit` other texts have one (run it unnamed). */
  nameOf(text: string): string | undefined {
    const known = this.names.get(text);
    if (known !== undefined) return known;
    if (this.names.size >= this.limit) {
      if (!this.reported) this.report(text, this.limit);
      this.reported = true;
      return undefined;
    }
    const name = this.nameFor(text);
    const other = this.texts.get(name);
    // 96 bits of sha256: never in practice, but a collision must not run the wrong statement.
    if (other !== undefined) throw new Error(`Prepared statement name ${name} hashes two texts`);
    this.names.set(text, name);
    this.texts.set(name, text);
    return name;
  }

  get size(): number {
    return this.names.size;
  }
}
