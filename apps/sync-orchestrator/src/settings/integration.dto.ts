import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { SYNC_DIRECTIONS, type SyncDirection } from '@talentsync/contracts';

export class PortalCredentialsDto {
  @ApiProperty({
    example: 'yourportal.talentlms.com',
    description: 'portal address or full https:// URL',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  portalUrl: string;

  @ApiPropertyOptional({ description: 'TalentLMS API key; may be omitted to keep the stored one' })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  apiKey?: string;
}

/** PUT /integrations/talentlms (SPEC sections 2 and 7). */
export class IntegrationSettingsDto extends PortalCredentialsDto {
  @ApiProperty({ example: 'all', description: '"all" or a TalentLMS branch id' })
  @Matches(/^(all|\d{1,12})$/, { message: 'branch must be "all" or a branch id' })
  branch: string;

  @ApiProperty({ enum: SYNC_DIRECTIONS })
  @IsIn(SYNC_DIRECTIONS)
  direction: SyncDirection;

  @ApiProperty()
  @IsBoolean()
  automaticSync: boolean;
}

/** What GET shows: the key only as its last 4 characters. */
export interface IntegrationView {
  portalUrl: string;
  apiKeyLast4: string;
  branch: string;
  direction: SyncDirection;
  automaticSync: boolean;
  active: boolean;
  activatedAt: string | null;
  nextScheduledSyncAt: string | null;
  /** Set while a failure only a person can fix stops the schedule and pushes; a save clears it. */
  paused: { at: string; reason: string } | null;
}

/** What the owner and admins should hear of after a run (see `IntegrationService.noteRunEnded`). */
export interface OwnerAlert {
  /** `paused`: a failure only a person can fix; `failing`: N scheduled runs failed in a row. */
  kind: 'paused' | 'failing';
  runId: string;
  errorCode: string | null;
  /** The setting to correct, when known. */
  field: 'apiKey' | 'portalUrl' | null;
}
