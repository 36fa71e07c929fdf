import {
  admit,
  afterFailure,
  circuitCounts,
  circuitState,
  CLOSED,
  CircuitSettings,
} from './circuit-rules';

const settings: CircuitSettings = { threshold: 3, cooldownMs: 10_000 };
const NOW = 50_000;

describe('circuit rules', () => {
  it('lets calls through while closed, and opens at the threshold', () => {
    let row = CLOSED;
    for (let i = 1; i < 3; i += 1) {
      row = afterFailure(row, NOW, settings);
      expect(admit(row, NOW, settings)).toEqual({ kind: 'closed' });
    }
    row = afterFailure(row, NOW, settings);
    expect(row).toEqual({ failures: 3, openUntil: NOW + 10_000 });
    expect(admit(row, NOW + 1, settings)).toEqual({ kind: 'open', retryAt: NOW + 10_000 });
    expect(circuitState(row, NOW + 1)).toBe('open');
  });

  it('after the cooldown lets one probe through, pushing the opening out for the others', () => {
    const row = { failures: 3, openUntil: NOW };
    expect(circuitState(row, NOW)).toBe('half-open');
    const admission = admit(row, NOW, settings);
    expect(admission).toEqual({ kind: 'probe', claim: { failures: 3, openUntil: NOW + 10_000 } });
    if (admission.kind !== 'probe') throw new Error('expected a probe');
    expect(admit(admission.claim, NOW + 1, settings)).toMatchObject({ kind: 'open' });
  });

  it('re-opens when the probe fails', () => {
    expect(afterFailure({ failures: 3, openUntil: NOW }, NOW + 5, settings)).toEqual({
      failures: 4,
      openUntil: NOW + 10_005,
    });
  });
});

describe(circuitCounts.name, () => {
  it('counts circuits parked until later as open, those past their time as half-open', () => {
    expect(circuitCounts(7, [NOW + 1, NOW - 1, NOW, NOW + 60_000], NOW)).toEqual({
      closed: 7,
      open: 2,
      'half-open': 2,
    });
  });

  it('counts only closed circuits when none is open', () => {
    expect(circuitCounts(0, [], NOW)).toEqual({ closed: 0, open: 0, 'half-open': 0 });
  });
});
