import {
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

/** A person's progress in one course, as TalentLMS reports it and the HR side stores it. */
export class TrainingProgress {
  @IsString() @MinLength(1) @MaxLength(64) courseId: string;
  @IsString() @MaxLength(500) courseName: string;
  /** ISO 8601 (UTC); null when the portal sent none. */
  @IsOptional() @IsISO8601({ strict: true }) enrolledAt: string | null;
  /** not_attempted, incomplete, completed, ... as the portal says. */
  @IsString() @MinLength(1) @MaxLength(50) completionStatus: string;
  @IsInt() @Min(0) @Max(100) completionPercentage: number;
  @IsOptional() @IsISO8601({ strict: true }) completedAt: string | null;
  @IsInt() @Min(0) totalTimeSeconds: number;
}

/** A stored training record: the progress, whose it is, and when sync last wrote it. */
export class TrainingRecord extends TrainingProgress {
  @IsUUID() employeeId: string;
  @IsISO8601({ strict: true }) lastSyncedAt: string;
}
