import {
  LmsErrorCode,
  LmsErrorCodes,
  SETTINGS_FIELD_OF_LMS_ERROR,
  SettingsField,
} from '@talentsync/contracts';

/**
 * The failures of a run that only a person can fix, with the setting to correct: a revoked or
 * invalid key, an API switched off, an inactive portal. Retrying them changes nothing, so the
 * integration pauses (schedule and pushes) until a settings save succeeds. The list is the one
 * of SETTINGS_FIELD_OF_LMS_ERROR limited to the key and the portal address, less the two that
 * mean a wrong address only when a save checks it: during a sync a 404 is one deleted user and
 * a non-API answer may be a maintenance page. A missing branch is not a stopped integration.
 */
export function needsPersonToFix(errorCode: string | undefined): PortalSetting | undefined {
  if (!errorCode || ONLY_AT_A_SAVE.has(errorCode)) return undefined;
  const field = SETTINGS_FIELD_OF_LMS_ERROR[errorCode as LmsErrorCode];
  return field === 'apiKey' || field === 'portalUrl' ? field : undefined;
}

/** The settings whose failure stops the whole integration. */
export type PortalSetting = Extract<SettingsField, 'apiKey' | 'portalUrl'>;

const ONLY_AT_A_SAVE = new Set<string>([LmsErrorCodes.notFound, LmsErrorCodes.badResponse]);

/**
 * Whether a run that just ended makes N failed scheduled runs in a row (`failedInARow`
 * includes it): true once, when the streak reaches `threshold`, so a stopped integration is
 * reported once per streak and not on every later run.
 */
export function failureStreakReached(failedInARow: number, threshold: number): boolean {
  return threshold > 0 && failedInARow === threshold;
}
