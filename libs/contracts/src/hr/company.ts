import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { VISIBLE_TEXT, VISIBLE_TEXT_MESSAGE } from '../lib/formats';

export const MAX_ADMIN_EMAILS = 50;

/**
 * The company (one per deployment): whom the notifier writes to about automatic sync runs.
 * `hr.company.get` (an empty request) answers it; NOT_FOUND until `PUT /company` has set it.
 */
export class Company {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(VISIBLE_TEXT, { message: VISIBLE_TEXT_MESSAGE })
  name: string;
  @IsEmail() @MaxLength(254) ownerEmail: string;
  @IsArray()
  @ArrayMaxSize(MAX_ADMIN_EMAILS)
  @IsEmail({}, { each: true })
  @MaxLength(254, { each: true })
  adminEmails: string[];
}
