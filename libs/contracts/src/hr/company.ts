import { ArrayMaxSize, IsArray, IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export const MAX_ADMIN_EMAILS = 50;

/**
 * The company (one per deployment): whom the notifier writes to about automatic sync runs.
 * `hr.company.get` (an empty request) answers it; NOT_FOUND until `PUT /company` has set it.
 */
export class Company {
  @IsString() @MinLength(1) @MaxLength(200) name: string;
  @IsEmail() @MaxLength(254) ownerEmail: string;
  @IsArray()
  @ArrayMaxSize(MAX_ADMIN_EMAILS)
  @IsEmail({}, { each: true })
  @MaxLength(254, { each: true })
  adminEmails: string[];
}
