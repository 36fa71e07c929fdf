import { inspect } from 'node:util';
import { PortalSession } from './portal-session';

describe(PortalSession.name, () => {
  const sut = new PortalSession(
    'https://acme.talentlms.com',
    'acme.talentlms.com',
    'KEY-s3cr3t-123',
    '4',
    0,
  );

  it('sends the key as HTTP Basic user name with an empty password', () => {
    expect(Buffer.from(sut.authorization.replace('Basic ', ''), 'base64').toString()).toBe(
      'KEY-s3cr3t-123:',
    );
  });

  it('never shows the key in JSON, inspect or its enumerable fields', () => {
    expect(JSON.stringify(sut)).not.toContain('s3cr3t');
    expect(inspect(sut, { depth: 5 })).not.toContain('s3cr3t');
    expect(JSON.stringify({ ...sut })).not.toContain('s3cr3t');
  });
});
