import { normalizePortalUrl } from './portal-url';

describe(normalizePortalUrl.name, () => {
  it.each([
    ['yourportal.talentlms.com', 'https://yourportal.talentlms.com'],
    ['  YourPortal.TalentLMS.com  ', 'https://yourportal.talentlms.com'],
    ['https://yourportal.talentlms.com/', 'https://yourportal.talentlms.com'],
    ['https://learn.example.com:8443', 'https://learn.example.com:8443'],
  ])('accepts %s as %s', (input, url) => {
    expect(normalizePortalUrl(input)).toEqual({ ok: true, url, host: new URL(url).host });
  });

  it.each([
    ['', /empty/],
    ['http://yourportal.talentlms.com', /only accepts HTTPS/],
    ['ftp://yourportal.talentlms.com', /https/],
    ['https://admin:secret@yourportal.talentlms.com', /credentials/],
    ['https://yourportal.talentlms.com/api/v1', /just the portal address/],
    ['https://yourportal.talentlms.com/?key=1', /just the portal address/],
    ['https://bad_host!.com', /valid host/],
  ])('refuses %s', (input, reason) => {
    const result = normalizePortalUrl(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });

  it.each([
    '<script>alert(1)</script>.talentlms.com',
    'https://x y.com/<b>',
    'https://bad_host!.com',
  ])('does not repeat %s in its reason', (input) => {
    const result = normalizePortalUrl(input);
    expect(result.ok ? '' : result.reason).toMatch(/^portal URL /);
    expect(result.ok ? '' : result.reason).not.toMatch(/<|bad_host/);
  });

  it('accepts plain http only when allowed (local simulator)', () => {
    expect(normalizePortalUrl('http://127.0.0.1:3080', { allowInsecureHttp: true })).toEqual({
      ok: true,
      url: 'http://127.0.0.1:3080',
      host: '127.0.0.1:3080',
    });
  });
});
