import { LmsErrorCodes } from '@talentsync/contracts';
import { failureStreakReached, healthAfterRun, needsPersonToFix } from './owner-alerts';

describe(needsPersonToFix.name, () => {
  it.each<[string | undefined, 'apiKey' | 'portalUrl' | undefined]>([
    [LmsErrorCodes.invalidKey, 'apiKey'],
    [LmsErrorCodes.apiDisabled, 'apiKey'],
    [LmsErrorCodes.domainInactive, 'portalUrl'],
    [LmsErrorCodes.invalidPortal, 'portalUrl'],
    [LmsErrorCodes.addressNotAllowed, 'portalUrl'],
    // a wrong address only when a save checks it
    [LmsErrorCodes.badResponse, undefined],
    [LmsErrorCodes.notFound, undefined],
    // passing failures: retried, never a pause
    [LmsErrorCodes.unreachable, undefined],
    [LmsErrorCodes.timeout, undefined],
    [LmsErrorCodes.rateLimited, undefined],
    [LmsErrorCodes.serverError, undefined],
    [LmsErrorCodes.circuitOpen, undefined],
    // one person's write or a branch: not a stopped integration
    [LmsErrorCodes.branchNotFound, undefined],
    [LmsErrorCodes.duplicateEmail, undefined],
    [LmsErrorCodes.invalidRequest, undefined],
    ['SOMETHING_ELSE', undefined],
    [undefined, undefined],
  ])('%s -> %s', (code, field) => {
    expect(needsPersonToFix(code)).toBe(field);
  });
});

describe(failureStreakReached.name, () => {
  it.each<[number, number, boolean]>([
    [1, 3, false],
    [2, 3, false],
    [3, 3, true],
    [4, 3, false], // already reported for this streak
    [1, 1, true],
    [5, 0, false], // 0 turns the alert off
  ])('%i failed in a row, threshold %i -> %s', (failed, threshold, reached) => {
    expect(failureStreakReached(failed, threshold)).toBe(reached);
  });
});

describe(healthAfterRun.name, () => {
  const fresh = { scheduledFailuresInARow: 0, paused: false };
  const scheduledFailure = (errorCode?: string) => ({
    trigger: 'scheduled',
    failed: true,
    errorCode,
  });

  it.each<
    [
      string,
      Parameters<typeof healthAfterRun>[0],
      Parameters<typeof healthAfterRun>[1],
      ReturnType<typeof healthAfterRun>,
    ]
  >([
    [
      'a scheduled success ends the streak',
      { scheduledFailuresInARow: 2, paused: false },
      { trigger: 'scheduled', failed: false },
      { scheduledFailuresInARow: 0 },
    ],
    [
      'a manual success leaves it',
      { scheduledFailuresInARow: 2, paused: false },
      { trigger: 'manual', failed: false },
      { scheduledFailuresInARow: 2 },
    ],
    [
      'a manual failure leaves it',
      { scheduledFailuresInARow: 2, paused: false },
      { trigger: 'manual', failed: true, errorCode: LmsErrorCodes.timeout },
      { scheduledFailuresInARow: 2 },
    ],
    [
      'a passing scheduled failure extends it',
      fresh,
      scheduledFailure(LmsErrorCodes.timeout),
      { scheduledFailuresInARow: 1 },
    ],
    [
      'the third in a row alerts, naming no setting',
      { scheduledFailuresInARow: 2, paused: false },
      scheduledFailure(LmsErrorCodes.serverError),
      { scheduledFailuresInARow: 3, alert: { kind: 'failing', field: null } },
    ],
    [
      'the fourth does not alert again',
      { scheduledFailuresInARow: 3, paused: false },
      scheduledFailure(LmsErrorCodes.serverError),
      { scheduledFailuresInARow: 4 },
    ],
    [
      'a refused key pauses, whatever the trigger',
      fresh,
      { trigger: 'manual', failed: true, errorCode: LmsErrorCodes.invalidKey },
      {
        scheduledFailuresInARow: 0,
        pauseFor: 'apiKey',
        alert: { kind: 'paused', field: 'apiKey' },
      },
    ],
    [
      'a pause wins over the streak alert of the same run',
      { scheduledFailuresInARow: 2, paused: false },
      scheduledFailure(LmsErrorCodes.domainInactive),
      {
        scheduledFailuresInARow: 3,
        pauseFor: 'portalUrl',
        alert: { kind: 'paused', field: 'portalUrl' },
      },
    ],
    [
      'already paused: no second pause or alert',
      { scheduledFailuresInARow: 1, paused: true },
      scheduledFailure(LmsErrorCodes.apiDisabled),
      { scheduledFailuresInARow: 2 },
    ],
    [
      'already paused, the streak alert still names the setting',
      { scheduledFailuresInARow: 2, paused: true },
      scheduledFailure(LmsErrorCodes.apiDisabled),
      { scheduledFailuresInARow: 3, alert: { kind: 'failing', field: 'apiKey' } },
    ],
    [
      'a success with a code is no failure',
      fresh,
      { trigger: 'scheduled', failed: false, errorCode: LmsErrorCodes.invalidKey },
      { scheduledFailuresInARow: 0 },
    ],
  ])('%s', (_, health, run, expected) => {
    expect(healthAfterRun(health, run, 3)).toEqual(expected);
  });
});
