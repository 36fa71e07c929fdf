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

/** What an integration remembers between runs for its owner's alerts. */
export interface IntegrationHealth {
  scheduledFailuresInARow: number;
  paused: boolean;
}

/** A run that just ended, as the alert rules see it. */
export interface EndedRun {
  trigger: string;
  failed: boolean;
  /** The failure's code, when the run failed with one. */
  errorCode?: string;
}

/** What a run's end changes: the streak, whether to pause now, and what the owner hears. */
export interface HealthAfterRun {
  scheduledFailuresInARow: number;
  /** Pause now, for this setting (only when not paused already). */
  pauseFor?: PortalSetting;
  /** `paused` wins over `failing` when the same run does both. */
  alert?: { kind: 'paused' | 'failing'; field: PortalSetting | null };
}

/**
 * The owner-alert rules applied to one ended run: a failed scheduled run extends the streak
 * (a succeeded or partial one ends it; manual and initial runs leave it), reaching
 * `threshold` alerts once; a failure only a person can fix pauses an integration not paused
 * yet, and says so.
 */
export function healthAfterRun(
  health: IntegrationHealth,
  run: EndedRun,
  threshold: number,
): HealthAfterRun {
  const field = run.failed ? needsPersonToFix(run.errorCode) : undefined;
  let inARow = health.scheduledFailuresInARow;
  let alert: HealthAfterRun['alert'];
  if (run.trigger === 'scheduled') {
    inARow = run.failed ? inARow + 1 : 0;
    if (run.failed && failureStreakReached(inARow, threshold))
      alert = { kind: 'failing', field: field ?? null };
  }
  if (field && !health.paused)
    return { scheduledFailuresInARow: inARow, pauseFor: field, alert: { kind: 'paused', field } };
  return { scheduledFailuresInARow: inARow, ...(alert ? { alert } : {}) };
}
