import { EventFixtures } from '@talentsync/contracts';
import type { SyncRunEventPayload } from '@talentsync/contracts';
import { renderAlertEmail } from './alert-email.template';

const run = EventFixtures['sync.run.failed'].run as SyncRunEventPayload;
const context = { companyName: 'Acme', runsBaseUrl: 'https://talentsync.example/runs' };

describe(renderAlertEmail.name, () => {
  it('names the key to fix, says syncing resumes on a save, and links the run', () => {
    const sut = renderAlertEmail(
      { kind: 'paused', runId: run.id, errorCode: 'LMS_INVALID_KEY', field: 'apiKey' },
      run,
      context,
    );

    expect(sut.subject).toBe('TalentSync: syncing with TalentLMS is paused — fix the API key');
    expect(sut.text).toContain('Check the TalentLMS API key');
    expect(sut.text).toContain('Saving the settings resumes them');
    expect(sut.text).toContain('Why the last run failed: TalentLMS answered 401: invalid API key');
    expect(sut.html).toContain(`href="https://talentsync.example/runs/${run.id}"`);
  });

  it('names the portal address for an inactive domain', () => {
    const sut = renderAlertEmail(
      { kind: 'paused', runId: run.id, errorCode: 'LMS_DOMAIN_INACTIVE', field: 'portalUrl' },
      run,
      context,
    );

    expect(sut.subject).toBe(
      'TalentSync: syncing with TalentLMS is paused — fix the portal address',
    );
    expect(sut.text).toContain('the portal (domain) is active');
  });

  it('says runs keep failing (and go on) after N failures of any kind', () => {
    const sut = renderAlertEmail({ kind: 'failing', runId: run.id, errorCode: null }, run, context);

    expect(sut.subject).toBe('TalentSync: automatic syncs keep failing');
    expect(sut.text).toContain('Automatic syncs go on as scheduled');
  });

  it('escapes what the run says in the HTML part', () => {
    const sut = renderAlertEmail(
      { kind: 'failing', runId: run.id },
      { ...run, error: '<script>x</script>' },
      context,
    );

    expect(sut.html).toContain('&lt;script&gt;');
    expect(sut.html).not.toContain('<script>');
  });
});
