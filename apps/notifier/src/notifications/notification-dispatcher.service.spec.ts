import { withoutAddresses } from './notification-dispatcher.service';

describe(withoutAddresses.name, () => {
  it('keeps the reason and drops e-mail addresses', () => {
    expect(
      withoutAddresses('SMTP EENVELOPE 550: <jane.doe@acme.test>: Recipient rejected, bob@x.io'),
    ).toBe('SMTP EENVELOPE 550: <[address]>: Recipient rejected, [address]');
  });
});
