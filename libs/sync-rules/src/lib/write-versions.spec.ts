import { mustRewriteLatest, staleWriteReason } from './write-versions';

describe(staleWriteReason.name, () => {
  it.each([
    { version: 1, reserved: 0, written: 0, stale: undefined },
    { version: 3, reserved: 3, written: 2, stale: undefined },
    { version: 3, reserved: 3, written: 3, stale: undefined },
    { version: 4, reserved: 3, written: 3, stale: undefined },
    {
      version: 2,
      reserved: 3,
      written: 1,
      stale: 'HR version 2 is older than version 3 being written to TalentLMS',
    },
    {
      version: 2,
      reserved: 5,
      written: 4,
      stale: 'HR version 2 is older than version 4 already written to TalentLMS',
    },
  ])('v$version against reserved $reserved, written $written: $stale', (row) => {
    expect(staleWriteReason(row.version, { reserved: row.reserved, written: row.written })).toBe(
      row.stale,
    );
  });
});

describe(mustRewriteLatest.name, () => {
  it.each([
    { version: 2, reservedAfterWrite: 2, rewrite: false },
    { version: 2, reservedAfterWrite: 1, rewrite: false },
    { version: 2, reservedAfterWrite: 3, rewrite: true },
  ])('wrote v$version, reserved $reservedAfterWrite after: $rewrite', (row) => {
    expect(mustRewriteLatest(row.version, row.reservedAfterWrite)).toBe(row.rewrite);
  });
});
