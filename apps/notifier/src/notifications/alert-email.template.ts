import type { IntegrationAlertPayload, SyncRunEventPayload } from '@talentsync/contracts';
import { escapeHtml, inert, RunEmail, RunEmailContext } from './run-email.template';

/** What to do, by the setting the failure names; the text says where in TalentLMS to look. */
const FIX: Record<string, string> = {
  apiKey:
    'Check the TalentLMS API key: in TalentLMS, Account & Settings > Integrations > API, make sure the API is enabled and copy the current key, then save it in the TalentLMS integration settings.',
  portalUrl:
    'Check the TalentLMS portal address and that the portal (domain) is active, then save the integration settings again.',
  branch: 'Check the TalentLMS branch of the integration, then save the integration settings.',
};
const FIX_UNKNOWN =
  'Look at the failed run for the reason; if it names a setting, correct it and save the integration settings.';

/** e.g. `TalentSync: syncing with TalentLMS is paused — fix the API key`. */
export function alertEmailSubject(alert: IntegrationAlertPayload): string {
  if (alert.kind === 'paused') {
    const what = alert.field === 'portalUrl' ? 'the portal address' : 'the API key';
    return `TalentSync: syncing with TalentLMS is paused — fix ${what}`;
  }
  return 'TalentSync: automatic syncs keep failing';
}

function facts(alert: IntegrationAlertPayload, run: SyncRunEventPayload, context: RunEmailContext) {
  const company = context.companyName || 'your company';
  return {
    headline:
      alert.kind === 'paused'
        ? `Syncing between HR and TalentLMS for ${company} is paused: TalentLMS refused the integration's settings, and retrying cannot help until a person fixes them.`
        : `The last automatic syncs for ${company} failed, one after the other.`,
    fix: (alert.field && FIX[alert.field]) || FIX_UNKNOWN,
    after:
      alert.kind === 'paused'
        ? 'Automatic syncs and instant updates wait until then. Saving the settings resumes them, and the next sync brings everyone up to date: no change made meanwhile is lost.'
        : 'Automatic syncs go on as scheduled.',
    error: run.error
      ? inert(run.error.replace(/\s+/g, ' ').trim())
      : (alert.errorCode ?? 'unknown'),
    link: `${context.runsBaseUrl}/${encodeURIComponent(run.id)}`,
    footer: `TalentSync notifier. You receive this as the owner or an admin of ${context.companyName || 'the company'}. At most one such e-mail a day.`,
  };
}

/** The e-mail that tells the owner and admins what to fix: subject, plain text and HTML. */
export function renderAlertEmail(
  alert: IntegrationAlertPayload,
  run: SyncRunEventPayload,
  context: RunEmailContext,
): RunEmail {
  const f = facts(alert, run, context);
  const e = escapeHtml;
  return {
    subject: alertEmailSubject(alert),
    text: [
      'Hello,',
      '',
      f.headline,
      '',
      `What to do: ${f.fix}`,
      '',
      f.after,
      '',
      `Why the last run failed: ${f.error}`,
      `The run in full: ${f.link}`,
      '',
      '-- ',
      f.footer,
      '',
    ].join('\n'),
    html: [
      '<!doctype html><html><body style="font-family:sans-serif">',
      `<p>Hello,</p><p>${e(f.headline)}</p>`,
      `<p><b>What to do:</b> ${e(f.fix)}</p>`,
      `<p>${e(f.after)}</p>`,
      `<p><b>Why the last run failed:</b> ${e(f.error)}</p>`,
      `<p><a href="${e(f.link)}">The run in full</a></p>`,
      `<p style="color:#666;font-size:small">${e(f.footer)}</p>`,
      '</body></html>',
    ].join('\n'),
  };
}
