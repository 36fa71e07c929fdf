import { Type } from 'class-transformer';
import { IsArray, ValidateNested } from 'class-validator';
import { LmsBranch } from './lms-user';
import { LmsReply, LmsRequest } from './portal-ref';

/** `lms.branches.list`: every branch of the portal (whatever `portal.branch` says). */
export class ListBranchesRequest extends LmsRequest {}

export class ListBranchesResponse extends LmsReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => LmsBranch) items: LmsBranch[];
}
