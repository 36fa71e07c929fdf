import { EventFixtures, SyncRunEventPayload } from '@talentsync/contracts';
import { escapeHtml, inert, renderRunEmail, runEmailSubject } from './run-email.template';

const context = { companyName: 'Acme Ltd', runsBaseUrl: 'https://talentsync.example.com/runs' };

/** A fresh copy of a fixture run, with changes. */
function run(
  type: 'sync.run.completed' | 'sync.run.failed',
  changes: Partial<SyncRunEventPayload> = {},
): SyncRunEventPayload {
  return { ...structuredClone(EventFixtures[type].run), ...changes } as SyncRunEventPayload;
}

const zero = { created: 0, updated: 0, deactivated: 0, skipped: 0, failed: 0 };

describe(runEmailSubject.name, () => {
  it.each([
    [
      'a partial run, with every non-zero count over both sides',
      run('sync.run.completed'),
      'TalentSync: automatic sync partly succeeded — 3 created, 5 updated, 1 deactivated, 2 skipped, 1 failed',
    ],
    [
      'a run without changes',
      run('sync.run.completed', { status: 'succeeded', counts: { hr: zero, lms: zero } }),
      'TalentSync: automatic sync succeeded — no changes',
    ],
    [
      'a two-way run, summing both sides',
      run('sync.run.completed', {
        status: 'succeeded',
        counts: { hr: { ...zero, created: 2 }, lms: { ...zero, created: 1, updated: 4 } },
      }),
      'TalentSync: automatic sync succeeded — 3 created, 4 updated',
    ],
    [
      'a failed run, with its reason',
      run('sync.run.failed'),
      'TalentSync: automatic sync failed — TalentLMS answered 401: invalid API key',
    ],
    [
      'a run waiting for approval',
      run('sync.run.completed', { status: 'awaiting-approval', counts: { hr: zero, lms: zero } }),
      'TalentSync: automatic sync needs approval — no changes',
    ],
  ])('sums up %s', (_case, given, expected) => {
    expect(runEmailSubject(given)).toBe(expected);
  });

  it('keeps a long or multi-line error to one short header line', () => {
    const sut = runEmailSubject(run('sync.run.failed', { error: `line one\n${'x'.repeat(300)}` }));
    expect(sut).not.toMatch(/[\r\n]/);
    expect(sut).toMatch(/^TalentSync: automatic sync failed — line one x+…$/);
    expect(sut.length).toBeLessThan(150);
  });
});

describe(renderRunEmail.name, () => {
  it('tells direction, times, counts per side, API calls, failures and the link', () => {
    const sut = renderRunEmail(run('sync.run.completed'), context);
    expect(sut.text).toContain('The automatic sync for Acme Ltd partly succeeded.');
    expect(sut.text).toContain('Direction:  HR to TalentLMS');
    expect(sut.text).toContain('Started:    2026-11-03 09:15:00 UTC');
    expect(sut.text).toContain('Finished:   2026-11-03 09:16:12 UTC (1 min 12 s)');
    expect(sut.text).toContain('API calls:  14 TalentLMS API calls');
    expect(sut.text).toMatch(/^HR\s+0\s+0\s+0\s+0\s+0$/m);
    expect(sut.text).toMatch(/^TalentLMS\s+3\s+5\s+1\s+2\s+1$/m);
    expect(sut.text).toContain(
      '- Grace Hopper (create): TalentLMS refused the e-mail address: A user with the same email already exists',
    );
    expect(sut.text).toContain(
      'The run in full: https://talentsync.example.com/runs/3d9a1f0e-5b2c-4e8d-a7f6-1c2b3a4d5e6f',
    );
    expect(sut.html).toContain(
      '<a href="https://talentsync.example.com/runs/3d9a1f0e-5b2c-4e8d-a7f6-1c2b3a4d5e6f">',
    );
    expect(sut.html).toContain('<li><b>Grace Hopper</b> (create): TalentLMS refused');
  });

  it('says why a failed run failed', () => {
    const sut = renderRunEmail(run('sync.run.failed'), { ...context, companyName: '' });
    expect(sut.text).toContain('The automatic sync for your company failed.');
    expect(sut.text).toContain('Why it failed: TalentLMS answered 401: invalid API key');
    expect(sut.text).toContain('API calls:  1 TalentLMS API call\n');
    expect(sut.text).not.toContain('Failures');
  });

  it('counts failures the event did not list, and points to the run for them', () => {
    const given = run('sync.run.completed', {
      counts: { hr: { ...zero, failed: 2 }, lms: { ...zero, failed: 70 } },
    });
    const sut = renderRunEmail(given, context);
    expect(sut.text).toContain('Failures (72):');
    expect(sut.text).toContain('- and 71 more: see the run for all of them');
    expect(sut.html).toContain('<li>and 71 more: see the run for all of them</li>');
  });

  it('escapes names and reasons in the HTML part', () => {
    const given = run('sync.run.completed', {
      failures: [{ person: '<script>alert(1)</script>', action: 'update', reason: 'a & b "c"' }],
    });
    const sut = renderRunEmail(given, { ...context, companyName: 'Smith & <Sons>' });
    expect(sut.html).not.toContain('<script>');
    expect(sut.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(sut.html).toContain('a &amp; b &quot;c&quot;');
    expect(sut.html).toContain('Smith &amp; &lt;Sons&gt;');
    expect(sut.text).toContain('- <script>alert(1)</script> (update): a & b "c"');
  });

  it('says when a run has no recorded end', () => {
    const sut = renderRunEmail(run('sync.run.failed', { finishedAt: null }), context);
    expect(sut.text).toContain('Finished:   not recorded');
  });
});

describe(inert.name, () => {
  it.each([
    [
      'breaks up a URL',
      'see https://evil.example/login now',
      'see https[:]//evil[.]example/login now',
    ],
    ['breaks up a bare host', 'go to www.evil.example.com', 'go to www[.]evil[.]example[.]com'],
    ['breaks up an address', 'write to a@evil.example', 'write to a@evil[.]example'],
    [
      'leaves plain words alone',
      'TalentLMS answered 401: invalid API key',
      'TalentLMS answered 401: invalid API key',
    ],
  ])('%s', (_what, text, expected) => {
    expect(inert(text)).toBe(expected);
  });
});

describe('a run whose texts carry links', () => {
  it('puts none of them into the e-mail as a link, in the subject, the text or the HTML', () => {
    const phishing = 'Your key expired: renew it at https://talentsync-billing.example/renew';
    const sut = renderRunEmail(
      run('sync.run.failed', {
        error: phishing,
        failures: [{ person: 'www.evil.example', action: 'create', reason: phishing }],
      }),
      context,
    );
    for (const part of [sut.subject, sut.text, sut.html]) {
      expect(part).not.toMatch(/https:\/\/talentsync-billing|www\.evil|evil\.example/);
    }
    expect(sut.html.match(/<a /g)).toHaveLength(1); // the run's own page
    expect(sut.text).toContain('renew it at https[:]//talentsync-billing[.]example/renew');
  });
});

describe(escapeHtml.name, () => {
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});
