import { Injectable } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { AppError, HrRequests } from '@talentsync/contracts';
import { NatsRpcClient } from '@talentsync/shared/messaging';

/** Who hears about automatic runs: the company as hr-service describes it. */
export interface CompanyContacts {
  name: string;
  /** Owner first, then admins; lower-cased, without duplicates. */
  recipients: string[];
}

export const CompanyErrorCodes = {
  /** hr-service answered something that is not a company (a contract mismatch). */
  invalidReply: 'COMPANY_REPLY_INVALID',
  /** Nobody to write to: the company has neither an owner nor an admin e-mail. */
  noRecipients: 'COMPANY_NO_RECIPIENTS',
} as const;

const REQUEST_TIMEOUT_MS = 5_000;

/**
 * Reads hr-service's `{name, ownerEmail, adminEmails[]}` defensively: it is another team's
 * service. A reply that is not that shape, or names nobody, is a permanent error; the
 * problem is named, the addresses are not (they are personal data and end up in logs).
 */
export function contactsFromCompany(reply: unknown, companyId: string): CompanyContacts {
  const invalid = (what: string) =>
    new AppError(CompanyErrorCodes.invalidReply, `${HrRequests.getCompany} answered ${what}`);
  if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) {
    throw invalid('something that is not a company object');
  }
  const { name, ownerEmail, adminEmails } = reply as Record<string, unknown>;
  if (name !== undefined && name !== null && typeof name !== 'string') {
    throw invalid('a company name that is not text');
  }
  if (ownerEmail !== undefined && ownerEmail !== null && !isEmail(ownerEmail)) {
    throw invalid('an ownerEmail that is not an e-mail address');
  }
  if (adminEmails !== undefined && adminEmails !== null) {
    if (!Array.isArray(adminEmails)) throw invalid('adminEmails that is not a list');
    if (!adminEmails.every((address) => isEmail(address))) {
      throw invalid('adminEmails with an entry that is not an e-mail address');
    }
  }
  const all = [ownerEmail, ...((adminEmails as string[] | null | undefined) ?? [])]
    .filter((address): address is string => typeof address === 'string')
    .map((address) => address.trim().toLowerCase());
  const recipients = [...new Set(all)];
  if (recipients.length === 0) {
    throw new AppError(
      CompanyErrorCodes.noRecipients,
      `Company ${companyId} has no owner or admin e-mail address (set them with PUT /companies/${companyId} on hr-service)`,
    );
  }
  return { name: typeof name === 'string' ? name : '', recipients };
}

/** Asks hr-service (`hr.companies.get`) whom to write to about a company's runs. */
@Injectable()
export class CompanyClient {
  constructor(private readonly rpc: NatsRpcClient) {}

  /**
   * Throws RemoteCallError when hr-service does not answer (retryable) or refuses: NOT_FOUND
   * (permanent) for a company it does not know or that was deleted.
   */
  async contacts(companyId: string, correlationId?: string): Promise<CompanyContacts> {
    const reply: unknown = await this.rpc.request(
      HrRequests.getCompany,
      { companyId },
      { timeoutMs: REQUEST_TIMEOUT_MS, correlationId },
    );
    return contactsFromCompany(reply, companyId);
  }
}
