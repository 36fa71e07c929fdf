import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsOptional, ValidateNested } from 'class-validator';
import { AttributeMatch, LmsCustomField } from './lms-user';
import { LmsReply, LmsRequest } from './portal-ref';

/**
 * `lms.custom-fields.list`: the portal's custom user fields, read fresh, and how each HR
 * attribute fares against them (exact name, matching type; SPEC section 3). Start a run with
 * it: the matches say which attributes the run syncs and why the others are skipped.
 */
export class ListCustomFieldsRequest extends LmsRequest {
  /**
   * The connector's cached copy instead (at most LMS_PORTAL_CACHE_TTL old, the one its writes
   * use anyway): no call when warm. For instant pushes, where a fresh read would be one call
   * in three.
   */
  @IsOptional() @IsBoolean() cached?: boolean;
}

export class ListCustomFieldsResponse extends LmsReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => LmsCustomField) fields: LmsCustomField[];
  /** One per HR attribute, in EMPLOYEE_ATTRIBUTE_TYPES order. */
  @IsArray() @ValidateNested({ each: true }) @Type(() => AttributeMatch) matches: AttributeMatch[];
}
