import {
  BudgetLimits,
  BudgetState,
  decide,
  EMPTY_BUDGET,
  hourFromPortal,
  portalSaidWait,
} from './budget-rules';

const limits: BudgetLimits = { perWindow: 3, windowMs: 5_000, hourRefreshMs: 300_000 };
const NOW = 1_000_000;
const synced: BudgetState = {
  ...EMPTY_BUDGET,
  hourLimit: 100,
  hourRemaining: 50,
  hourResetAt: NOW + 600_000,
  hourSyncedAt: NOW - 1_000,
};

describe(decide.name, () => {
  it('asks for the hour first when it was never read, is stale, or has reset', () => {
    expect(decide(EMPTY_BUDGET, NOW, limits)).toEqual({ kind: 'sync' });
    expect(decide({ ...synced, hourSyncedAt: NOW - 300_000 }, NOW, limits)).toEqual({
      kind: 'sync',
    });
    expect(decide({ ...synced, hourResetAt: NOW }, NOW, limits)).toEqual({ kind: 'sync' });
  });

  it('grants a call, logging it and spending one of the hour', () => {
    const decision = decide({ ...synced, recent: [NOW - 6_000, NOW - 100] }, NOW, limits);
    expect(decision).toEqual({
      kind: 'grant',
      state: { ...synced, recent: [NOW - 100, NOW], hourRemaining: 49 },
    });
  });

  it('never lets a window hold more than perWindow calls: waits until the oldest leaves', () => {
    const full = { ...synced, recent: [NOW - 4_000, NOW - 2_000, NOW - 1_000] };
    expect(decide(full, NOW, limits)).toEqual({
      kind: 'wait',
      waitMs: 1_000,
      reason: 'short-window',
    });
    // exactly when the oldest leaves, a call may go
    expect(decide(full, NOW + 1_000, limits)).toMatchObject({ kind: 'grant' });
  });

  it('holds calls at an empty hour until it resets', () => {
    expect(decide({ ...synced, hourRemaining: 0 }, NOW, limits)).toEqual({
      kind: 'wait',
      waitMs: 600_000,
      reason: 'hour',
    });
  });

  it('holds every call while the portal said to wait', () => {
    expect(decide({ ...synced, blockedUntil: NOW + 2_500 }, NOW, limits)).toEqual({
      kind: 'wait',
      waitMs: 2_500,
      reason: 'portal-said-wait',
    });
  });

  it('over any sequence of grants, no window ever holds more than perWindow calls', () => {
    let state: BudgetState = synced;
    const granted: number[] = [];
    for (let t = NOW; t < NOW + 30_000; t += 137) {
      const decision = decide(state, t, limits);
      if (decision.kind === 'grant') {
        state = decision.state;
        granted.push(t);
      }
    }
    expect(granted.length).toBeGreaterThan(10);
    for (const start of granted) {
      expect(
        granted.filter((t) => t >= start && t < start + limits.windowMs).length,
      ).toBeLessThanOrEqual(3);
    }
  });
});

describe(hourFromPortal.name, () => {
  it('takes the portal figures as they are without a cap', () => {
    expect(
      hourFromPortal(
        EMPTY_BUDGET,
        { limit: 2000, remaining: 1500, resetAt: NOW + 60_000 },
        NOW,
        null,
        300_000,
      ),
    ).toMatchObject({
      hourLimit: 2000,
      hourRemaining: 1500,
      hourResetAt: NOW + 60_000,
      hourSyncedAt: NOW,
    });
  });

  it('counts the calls used this hour against our lower cap', () => {
    // 2000/h plan, 1500 left = 500 used; cap 800 -> 300 left
    expect(
      hourFromPortal(
        EMPTY_BUDGET,
        { limit: 2000, remaining: 1500, resetAt: NOW + 60_000 },
        NOW,
        800,
        300_000,
      ),
    ).toMatchObject({ hourLimit: 800, hourRemaining: 300 });
    expect(
      hourFromPortal(
        EMPTY_BUDGET,
        { limit: 2000, remaining: 100, resetAt: NOW + 60_000 },
        NOW,
        800,
        300_000,
      ),
    ).toMatchObject({ hourRemaining: 0 });
  });

  it('never gives back calls spent since the read within the same hour', () => {
    // Read 50 left, then spent 3 while another read (answered before those 3) came back.
    const spent = { ...synced, hourRemaining: 47, hourResetAt: NOW + 60_000 };
    const rate = { limit: 100, remaining: 50, resetAt: NOW + 60_000 };
    expect(hourFromPortal(spent, rate, NOW, null, 300_000)).toMatchObject({ hourRemaining: 47 });
    // The portal knows of calls we did not make (other clients): its lower figure wins.
    expect(hourFromPortal(spent, { ...rate, remaining: 40 }, NOW, null, 300_000)).toMatchObject({
      hourRemaining: 40,
    });
    // A new hour, or a new limit, starts from the portal's figures.
    expect(
      hourFromPortal(spent, { ...rate, resetAt: NOW + 3_600_000 }, NOW, null, 300_000),
    ).toMatchObject({ hourRemaining: 50 });
    expect(
      hourFromPortal(spent, { ...rate, limit: 2000, remaining: 1950 }, NOW, null, 300_000),
    ).toMatchObject({ hourRemaining: 1950 });
  });

  it('keeps figures without a usable reset until the next refresh', () => {
    expect(
      hourFromPortal(
        EMPTY_BUDGET,
        { limit: null, remaining: null, resetAt: NOW - 5 },
        NOW,
        null,
        300_000,
      ),
    ).toMatchObject({ hourLimit: null, hourRemaining: null, hourResetAt: NOW + 300_000 });
  });
});

describe(portalSaidWait.name, () => {
  it('blocks until then (never shortening a longer block) and forces the hour to be re-read', () => {
    const state = portalSaidWait({ ...synced, blockedUntil: NOW + 9_000 }, NOW, 2_000);
    expect(state).toMatchObject({ blockedUntil: NOW + 9_000, hourSyncedAt: null });
    expect(portalSaidWait(synced, NOW, 2_000).blockedUntil).toBe(NOW + 2_000);
  });
});
