// The short table `npm run bench` prints (the full figures are in bench/results.json).
const out = (line = '') => process.stdout.write(`${line}\n`);

function verdict(targets) {
  if (!targets) return '';
  const entries = Object.entries(targets).filter(([, v]) => typeof v === 'boolean');
  if (!entries.length) return '';
  const missed = entries.filter(([, v]) => !v).map(([k]) => k);
  return missed.length ? `MISSED ${missed.join(', ')}` : 'met';
}

function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  rows.forEach((row, i) => {
    out(
      row
        .map((cell, c) => String(cell ?? '').padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    );
    if (i === 0) out(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

const rss = (peaks = {}) =>
  Object.entries(peaks)
    .map(
      ([name, mb]) =>
        `${name.replace('talentlms-', '').replace('sync-', '').replace('-service', '').replace('lms-', '')} ${mb}`,
    )
    .join(', ');

/** CPU seconds of our services / of the Postgres backends serving them. */
function cpu(seconds) {
  if (!seconds) return '';
  const sum = (pg) =>
    Object.entries(seconds)
      .filter(([name]) => name.startsWith('postgres:') === pg)
      .reduce((total, [, s]) => total + s, 0)
      .toFixed(1);
  return `${sum(false)}/${sum(true)}`;
}

export function printTable(results) {
  const missed = results.runs.some((r) => verdict(r.targets).startsWith('MISSED'));
  out();
  out(
    `TalentSync benchmark, ${results.startedAt} to ${results.finishedAt} (${results.machine.cpus} cores, Node ${results.machine.node}, load average ${results.loadAverage?.start?.toFixed(1) ?? '?'} at start, ${results.loadAverage?.end?.toFixed(1) ?? '?'} at end)`,
  );
  for (const n of results.options.n) {
    const runs = results.runs.filter((r) => r.n === n);
    if (!runs.length) continue;
    out();
    out(`N = ${n.toLocaleString('en')} people, 50 courses`);
    const naive = runs.find((r) => r.scenario === 'naive');
    const rows = [
      [
        'scenario',
        'wall s',
        'calls',
        'writes',
        'calls/change',
        'naive calls',
        'CPU s (ours/pg)',
        'targets',
        'peak RSS MB (sim, hr, connector, orchestrator)',
      ],
    ];
    for (const r of runs) {
      if (r.error) rows.push(['(failed)', '', '', '', '', '', r.error.slice(0, 80), '']);
      if (r.scenario === 'naive' || r.error) continue;
      const naiveCalls =
        r.scenario === 'initial-sync'
          ? naive?.initial.total
          : r.scenario === 'no-change'
            ? naive?.noChange.total
            : r.scenario === 'one-percent'
              ? naive?.onePercent.total
              : undefined;
      const ratio =
        naiveCalls && r.talentLmsCalls ? ` (${(naiveCalls / r.talentLmsCalls).toFixed(1)}x)` : '';
      const wall =
        r.scenario === 'push-latency'
          ? `p50/95/99 ${r.latencyMs.p50}/${r.latencyMs.p95}/${r.latencyMs.p99} ms`
          : r.scenario === 'small-plan'
            ? `${r.watchedSeconds} watched, ${r.projected}`
            : r.wallSeconds;
      rows.push([
        r.scenario,
        wall,
        r.talentLmsCalls,
        r.writes ?? '',
        r.callsPerChange ?? '',
        naiveCalls ? `${naiveCalls}${ratio}` : '',
        cpu(r.cpuSeconds),
        verdict(r.targets) + (r.refused ? ` (${r.refused} refused)` : ''),
        rss(r.peakRssMb),
      ]);
    }
    table(rows);
    out();
    out('TalentLMS calls by endpoint:');
    for (const r of runs.filter((x) => x.callsByEndpoint))
      out(
        `  ${r.scenario.padEnd(13)} ${Object.entries(r.callsByEndpoint)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
    if (naive)
      out(
        `  ${'naive'.padEnd(13)} initial ${JSON.stringify(naive.initial.calls)} in ${naive.initial.seconds} s; unchanged ${JSON.stringify(naive.noChange.calls)}; 1% ${JSON.stringify(naive.onePercent.calls)}`,
      );
  }
  if (missed) {
    out();
    out(
      'A target was missed: why, and what it would take, is in bench/README.md ("What we found").',
    );
  }
}
