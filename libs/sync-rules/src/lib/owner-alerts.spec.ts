import { LmsErrorCodes } from '@talentsync/contracts';
import { failureStreakReached, needsPersonToFix } from './owner-alerts';

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
