import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export const SYNC_DIRECTIONS = ['two-way', 'hr-to-lms', 'lms-to-hr'] as const;
export type SyncDirection = (typeof SYNC_DIRECTIONS)[number];

export const SYNC_TRIGGERS = ['initial', 'manual', 'scheduled'] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];

export const SYNC_RUN_STATUSES = [
  'running',
  'succeeded',
  'partial',
  'failed',
  'awaiting-approval',
] as const;
export type SyncRunStatus = (typeof SYNC_RUN_STATUSES)[number];

export class SideCounts {
  @IsInt() @Min(0) created = 0;
  @IsInt() @Min(0) updated = 0;
  @IsInt() @Min(0) deactivated = 0;
  @IsInt() @Min(0) skipped = 0;
  @IsInt() @Min(0) failed = 0;
}

/** Counts per side: `hr` = writes to hr-service, `lms` = writes to TalentLMS. */
export class RunCounts {
  @IsObject() @ValidateNested() @Type(() => SideCounts) hr: SideCounts;
  @IsObject() @ValidateNested() @Type(() => SideCounts) lms: SideCounts;
}

export class RunFailure {
  /** Who it was about: the person's name (never an SSN or key). */
  @IsString() @MaxLength(300) person: string;
  @IsString() @MaxLength(50) action: string;
  @IsString() @MaxLength(1000) reason: string;
}

export const MAX_FAILURES_IN_EVENT = 50;

/** A sync run as published in `sync.run.*` events: its summary, not its per-person items. */
export class SyncRunEventPayload {
  @IsUUID() id: string;
  @IsIn(SYNC_TRIGGERS) trigger: SyncTrigger;
  @IsIn(SYNC_DIRECTIONS) direction: SyncDirection;
  @IsIn(SYNC_RUN_STATUSES) status: SyncRunStatus;
  @IsISO8601({ strict: true }) startedAt: string;
  @IsOptional() @IsISO8601({ strict: true }) finishedAt: string | null;
  @IsObject() @ValidateNested() @Type(() => RunCounts) counts: RunCounts;
  @IsInt() @Min(0) apiCalls: number;
  /** Why the whole run failed (status `failed`). */
  @IsOptional() @IsString() @MaxLength(1000) error?: string;
  /** The first failed items, for summaries; the run record has them all. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FAILURES_IN_EVENT)
  @ValidateNested({ each: true })
  @Type(() => RunFailure)
  failures?: RunFailure[];
}
