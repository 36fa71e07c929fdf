import { IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';

/**
 * `paused`: a run failed in a way only a person can fix (a revoked key, API disabled, an
 * inactive portal), so the schedule and pushes stopped until a settings save succeeds.
 * `failing`: SYNC_ALERT_AFTER_FAILURES scheduled runs failed in a row, of any cause.
 */
export const INTEGRATION_ALERT_KINDS = ['paused', 'failing'] as const;
export type IntegrationAlertKind = (typeof INTEGRATION_ALERT_KINDS)[number];

/** The settings a person corrects (SettingsField), as an alert may name them. */
export const ALERT_SETTINGS_FIELDS = ['apiKey', 'portalUrl', 'branch'] as const;

/** The body of `sync.integration.alerted`: codes only, never a key, a URL or a message. */
export class IntegrationAlertPayload {
  @IsIn(INTEGRATION_ALERT_KINDS) kind: IntegrationAlertKind;
  /** The run whose end raised it (the notifier reads the run from sync-orchestrator). */
  @IsUUID() runId: string;
  /** The failure's stable code (e.g. LMS_INVALID_KEY), when the run failed with one. */
  @IsOptional() @IsString() @Matches(/^[A-Z][A-Z0-9_]{0,63}$/) errorCode?: string | null;
  /** The setting to correct, when the code says which. */
  @IsOptional() @IsIn(ALERT_SETTINGS_FIELDS) field?: (typeof ALERT_SETTINGS_FIELDS)[number] | null;
}
