import { IsIn } from 'class-validator';
import { IsLmsId, LmsReply, LmsRequest } from './portal-ref';

/** `lms.users.set-status`: activate or deactivate a user (idempotent). */
export class SetUserStatusRequest extends LmsRequest {
  @IsLmsId() id: string;
  @IsIn(['active', 'inactive']) status: 'active' | 'inactive';
}

export class SetUserStatusResponse extends LmsReply {
  @IsLmsId() id: string;
  @IsIn(['active', 'inactive']) status: 'active' | 'inactive';
}
