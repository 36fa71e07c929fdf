import { AppError, FIRST_COMPANY_ID } from '@talentsync/contracts';
import { CompanyErrorCodes, contactsFromCompany } from './company.client';

const COMPANY = FIRST_COMPANY_ID;

describe(contactsFromCompany.name, () => {
  it('writes to the owner first, then the admins, lower-cased and without repeats', () => {
    const sut = contactsFromCompany(
      {
        name: 'Acme Ltd',
        ownerEmail: 'Owner@Acme.test',
        adminEmails: ['admin1@acme.test', 'owner@acme.test', 'ADMIN2@acme.test'],
        id: COMPANY,
        extra: 'fields are fine',
      },
      COMPANY,
    );
    expect(sut).toEqual({
      name: 'Acme Ltd',
      recipients: ['owner@acme.test', 'admin1@acme.test', 'admin2@acme.test'],
    });
  });

  it.each([
    ['admins only', { name: 'A', ownerEmail: null, adminEmails: ['a@acme.test'] }, ['a@acme.test']],
    ['an owner only', { ownerEmail: 'o@acme.test' }, ['o@acme.test']],
  ])('accepts %s', (_case, reply, recipients) => {
    expect(contactsFromCompany(reply, COMPANY).recipients).toEqual(recipients);
  });

  it.each([
    ['not an object', 'Acme', /not a company object/],
    ['a list', [], /not a company object/],
    [
      'a name that is not text',
      { name: 7, ownerEmail: 'o@acme.test' },
      /company name that is not text/,
    ],
    ['a bad owner e-mail', { ownerEmail: 'owner' }, /ownerEmail that is not an e-mail address/],
    [
      'admins that are not a list',
      { adminEmails: 'a@acme.test' },
      /adminEmails that is not a list/,
    ],
    ['a bad admin e-mail', { adminEmails: ['a@acme.test', 42] }, /adminEmails with an entry/],
  ])('refuses a reply with %s, as a permanent error', (_case, reply, problem) => {
    const attempt = () => contactsFromCompany(reply, COMPANY);
    expect(attempt).toThrow(problem);
    expect(attempt).toThrow(
      expect.objectContaining({ code: CompanyErrorCodes.invalidReply, retryable: false }),
    );
  });

  it('refuses a company with nobody to write to, naming the fix but no address', () => {
    let error: AppError | undefined;
    try {
      contactsFromCompany({ name: 'Acme', ownerEmail: null, adminEmails: [] }, COMPANY);
    } catch (caught) {
      error = caught as AppError;
    }
    expect(error).toMatchObject({ code: CompanyErrorCodes.noRecipients, retryable: false });
    expect(error?.message).toContain(`PUT /companies/${COMPANY}`);
  });

  it('never puts the addresses of a bad reply in its message', () => {
    expect(() =>
      contactsFromCompany({ ownerEmail: 'ok@acme.test', adminEmails: ['jane.doe'] }, COMPANY),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('jane.doe') }));
  });
});
