import type {
  RunCounts,
  SideCounts,
  SyncDirection,
  SyncRunEventPayload,
  SyncRunStatus,
} from '@talentsync/contracts';

export interface RunEmailContext {
  /** The company's name from hr-service; empty when it has none. */
  companyName: string;
  /** The run's page is `<runsBaseUrl>/<runId>`. */
  runsBaseUrl: string;
}

export interface RunEmail {
  subject: string;
  text: string;
  html: string;
}

const OUTCOME: Record<SyncRunStatus, string> = {
  succeeded: 'succeeded',
  partial: 'partly succeeded',
  failed: 'failed',
  'awaiting-approval': 'needs approval',
  running: 'is still running',
};

const DIRECTION: Record<SyncDirection, string> = {
  'two-way': 'two-way (HR and TalentLMS)',
  'hr-to-lms': 'HR to TalentLMS',
  'lms-to-hr': 'TalentLMS to HR',
};

const COLUMNS: (keyof SideCounts)[] = ['created', 'updated', 'deactivated', 'skipped', 'failed'];
const SIDES: { key: keyof RunCounts; label: string }[] = [
  { key: 'hr', label: 'HR' },
  { key: 'lms', label: 'TalentLMS' },
];
const SUBJECT_ERROR_LENGTH = 100;

/**
 * Text about a run (errors, people) as plain words no mail client turns into a link: the
 * scheme separator and the dots of anything shaped like a host name are broken up
 * (`https[:]//evil[.]example`). Only the e-mail's own run link stays clickable.
 */
export function inert(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*):\/\//gi, '$1[:]//')
    .replace(/\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b/gi, (host) => host.replace(/\./g, '[.]'));
}

const oneLine = (text: string) => inert(text.replace(/\s+/g, ' ').trim());

function total(counts: RunCounts, column: keyof SideCounts): number {
  return counts.hr[column] + counts.lms[column];
}

/** `3 created, 5 updated, 1 failed` over both sides; zero counts left out. */
function countsSummary(counts: RunCounts): string {
  const parts = COLUMNS.filter((c) => total(counts, c) > 0).map((c) => `${total(counts, c)} ${c}`);
  return parts.length > 0 ? parts.join(', ') : 'no changes';
}

/** e.g. `TalentSync: automatic sync partly succeeded — 3 created, 5 updated, 1 failed`. */
export function runEmailSubject(run: SyncRunEventPayload): string {
  const detail =
    run.status === 'failed' && run.error
      ? truncate(oneLine(run.error), SUBJECT_ERROR_LENGTH)
      : countsSummary(run.counts);
  return `TalentSync: automatic sync ${OUTCOME[run.status]} — ${detail}`;
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

function utc(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : 'not recorded';
}

function duration(run: SyncRunEventPayload): string {
  if (!run.finishedAt) return '';
  const seconds = Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000);
  if (!(seconds >= 1)) return ' (under a second)';
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
  const parts = [h && `${h} h`, m && `${m} min`, s && `${s} s`].filter(Boolean);
  return ` (${parts.join(' ')})`;
}

function runLink(run: SyncRunEventPayload, context: RunEmailContext): string {
  return `${context.runsBaseUrl}/${encodeURIComponent(run.id)}`;
}

/** What the e-mail says, once, for both the text and the HTML part. */
function facts(run: SyncRunEventPayload, context: RunEmailContext) {
  const failures = run.failures ?? [];
  const failedTotal = total(run.counts, 'failed');
  return {
    headline: `The automatic sync for ${context.companyName || 'your company'} ${OUTCOME[run.status]}.`,
    details: [
      ['Direction', DIRECTION[run.direction]],
      ['Started', utc(run.startedAt)],
      ['Finished', `${utc(run.finishedAt)}${duration(run)}`],
      ['API calls', `${run.apiCalls} TalentLMS API call${run.apiCalls === 1 ? '' : 's'}`],
    ] as const,
    error: run.error ? oneLine(run.error) : undefined,
    failures: failures.map((f) => ({
      who: oneLine(f.person),
      action: f.action,
      reason: oneLine(f.reason),
    })),
    /** Failures counted in the run but not listed in the event (it carries the first 50). */
    unlisted: Math.max(0, failedTotal - failures.length),
    link: runLink(run, context),
    footer: `TalentSync notifier. You receive this as the owner or an admin of ${context.companyName || 'the company'}.`,
  };
}

function textBody(run: SyncRunEventPayload, context: RunEmailContext): string {
  const f = facts(run, context);
  const width = Math.max(...COLUMNS.map((c) => c.length)) + 2;
  const table = [
    'Changes'.padEnd(12) + COLUMNS.map((c) => capitalise(c).padStart(width)).join(''),
    ...SIDES.map(
      (side) =>
        side.label.padEnd(12) +
        COLUMNS.map((c) => String(run.counts[side.key][c]).padStart(width)).join(''),
    ),
  ];
  const lines = [
    'Hello,',
    '',
    f.headline,
    '',
    ...f.details.map(([label, value]) => `${`${label}:`.padEnd(12)}${value}`),
    ...(f.error ? ['', `Why it failed: ${f.error}`] : []),
    '',
    ...table,
  ];
  if (f.failures.length > 0) {
    lines.push('', `Failures (${f.failures.length + f.unlisted}):`);
    lines.push(...f.failures.map((x) => `- ${x.who} (${x.action}): ${x.reason}`));
  }
  if (f.unlisted > 0) lines.push(`- and ${f.unlisted} more: see the run for all of them`);
  lines.push('', `The run in full: ${f.link}`, '', '-- ', f.footer, '');
  return lines.join('\n');
}

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

function htmlBody(run: SyncRunEventPayload, context: RunEmailContext): string {
  const f = facts(run, context);
  const e = escapeHtml;
  const cell = 'style="padding:2px 10px;text-align:right"';
  const head = `<tr><th></th>${COLUMNS.map((c) => `<th ${cell}>${capitalise(c)}</th>`).join('')}</tr>`;
  const rows = SIDES.map(
    (side) =>
      `<tr><th style="text-align:left">${side.label}</th>${COLUMNS.map(
        (c) => `<td ${cell}>${run.counts[side.key][c]}</td>`,
      ).join('')}</tr>`,
  ).join('');
  const failures =
    f.failures.length + f.unlisted === 0
      ? ''
      : `<h3>Failures (${f.failures.length + f.unlisted})</h3><ul>${f.failures
          .map((x) => `<li><b>${e(x.who)}</b> (${e(x.action)}): ${e(x.reason)}</li>`)
          .join(
            '',
          )}${f.unlisted > 0 ? `<li>and ${f.unlisted} more: see the run for all of them</li>` : ''}</ul>`;
  return [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<p>Hello,</p><p>${e(f.headline)}</p>`,
    `<table>${f.details.map(([label, value]) => `<tr><th style="text-align:left">${label}</th><td>${e(value)}</td></tr>`).join('')}</table>`,
    f.error ? `<p><b>Why it failed:</b> ${e(f.error)}</p>` : '',
    `<table style="border-collapse:collapse;margin-top:1em">${head}${rows}</table>`,
    failures,
    `<p><a href="${e(f.link)}">The run in full</a></p>`,
    `<p style="color:#666;font-size:small">${e(f.footer)}</p>`,
    '</body></html>',
  ].join('\n');
}

/** The summary e-mail of one automatic run: subject, plain text and HTML. */
export function renderRunEmail(run: SyncRunEventPayload, context: RunEmailContext): RunEmail {
  return {
    subject: runEmailSubject(run),
    text: textBody(run, context),
    html: htmlBody(run, context),
  };
}
