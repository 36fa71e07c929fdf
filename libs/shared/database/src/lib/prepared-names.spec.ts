import { PreparedNames, preparedName } from './prepared-names';

describe(preparedName.name, () => {
  it('names a text by its hash: the same text the same name, another text another', () => {
    const claim = 'SELECT * FROM push_queue WHERE company_id = $1';
    expect(preparedName(claim)).toBe(preparedName(claim));
    expect(preparedName(claim)).toMatch(/^ts_[0-9a-f]{24}$/);
    // One character apart (a deploy changing a statement): a name of its own.
    expect(preparedName(`${claim} `)).not.toBe(preparedName(claim));
  });
});

describe(PreparedNames.name, () => {
  const reports: string[] = [];
  const names = (limit: number, nameFor?: (text: string) => string) =>
    new PreparedNames(limit, (text) => reports.push(text), nameFor);
  beforeEach(() => reports.splice(0));

  it('gives each text its hash name, and the same one every time', () => {
    const n = names(10);
    expect(n.nameOf('SELECT 1')).toBe(preparedName('SELECT 1'));
    expect(n.nameOf('SELECT 2')).toBe(preparedName('SELECT 2'));
    expect(n.nameOf('SELECT 1')).toBe(preparedName('SELECT 1'));
    expect(n.size).toBe(2);
    expect(reports).toEqual([]);
  });

  it('names no text past the limit (run unnamed) and reports the first one over, once', () => {
    const n = names(2);
    n.nameOf('SELECT 1');
    n.nameOf('SELECT 2');
    expect(n.nameOf('SELECT 3')).toBeUndefined();
    expect(n.nameOf('SELECT 4')).toBeUndefined();
    // The texts named before the limit keep their names.
    expect(n.nameOf('SELECT 2')).toBe(preparedName('SELECT 2'));
    expect(n.size).toBe(2);
    expect(reports).toEqual(['SELECT 3']);
  });

  it('refuses a second text under a name already given (never runs the wrong statement)', () => {
    const n = names(10, () => 'ts_same');
    expect(n.nameOf('SELECT 1')).toBe('ts_same');
    expect(() => n.nameOf('SELECT 2')).toThrow(/ts_same hashes two texts/);
    expect(n.nameOf('SELECT 1')).toBe('ts_same');
  });
});
