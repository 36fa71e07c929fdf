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

const ms = (l) => (l ? `${l.p50}/${l.p95}/${l.p99} ms (max ${l.max})` : '');
const mark = (met) => (met === undefined ? '' : met ? 'met' : 'MISSED');

/** `--companies`: the many-companies figures, then the single-company N = 10,000 ones beside. */
export function printCompaniesTable(results) {
  const c = results.companies;
  out();
  out(
    `TalentSync many-companies benchmark, ${c.startedAt} to ${c.finishedAt} (${c.machine.cpus} cores, Node ${c.machine.node}, load average ${c.loadAverage?.start?.toFixed(1) ?? '?'} at start, ${c.loadAverage?.end?.toFixed(1) ?? '?'} at end)`,
  );
  if (c.error) {
    out(`(failed) ${c.error}`);
    return;
  }
  out(
    `${c.companies.toLocaleString('en')} companies x ${c.peoplePerCompany} people (${c.people.toLocaleString('en')}), ${c.slowPortals} slow portals (${c.slowLatencyMs.min}-${c.slowLatencyMs.max} ms a call), ${c.probes} probe companies; SYNC_FIRST_DELAY ${c.settings.SYNC_FIRST_DELAY}, SYNC_SPREAD ${c.settings.SYNC_SPREAD}, SYNC_MAX_CONCURRENT_RUNS ${c.settings.SYNC_MAX_CONCURRENT_RUNS}`,
  );
  if (c.options?.env || c.options?.slowPortals === false)
    out(
      `diagnostic run: ${c.options.slowPortals === false ? 'no slow portals; ' : ''}${JSON.stringify(c.options.env ?? {})}`,
    );
  out(
    `set-up ${c.setupSeconds} s, bulk seed ${c.seed.seconds} s (same row as POST /employees: ${c.seed.columnsCompared} columns compared); activations sent within ${c.activation.sentWithinSeconds} s (answered within ${c.activation.answeredWithinSeconds} s), ${c.activation.failed} failed, PUT p50/p95/max ${c.activation.putSeconds.p50}/${c.activation.putSeconds.p95}/${c.activation.putSeconds.max} s`,
  );
  out();
  const i = c.initialSyncs;
  const p = c.pushLatency;
  const o = (f) => `${f.arrived}/${f.hires} arrived, ${ms(f.latencyMs)}`;
  table([
    ['figure', 'value', 'target'],
    [
      'initial syncs',
      `${JSON.stringify(i.status)}, the last ended ${i.wallSeconds} s after the activations began${i.allEnded ? '' : ' (not all ended: watched for ' + i.phaseSeconds + ' s)'}`,
      mark(c.targets.allInitialSyncsFinished),
    ],
    [
      '  one run (healthy / slow)',
      `p50/p95/max ${i.runSecondsHealthy.p50}/${i.runSecondsHealthy.p95}/${i.runSecondsHealthy.max} s / ${i.runSecondsSlow.p50}/${i.runSecondsSlow.p95}/${i.runSecondsSlow.max} s`,
      '',
    ],
    [
      '  holding a slot (healthy / slow)',
      `p50/p95/max ${i.executingSecondsHealthy.p50}/${i.executingSecondsHealthy.p95}/${i.executingSecondsHealthy.max} s / ${i.executingSecondsSlow.p50}/${i.executingSecondsSlow.p95}/${i.executingSecondsSlow.max} s; slow runs held ${Math.round((i.slowShareOfSlotTime ?? 0) * 100)}% of the slot time`,
      '',
    ],
    ['  ended per minute', i.endedPerMinute.join(' '), ''],
    [
      'push latency, probes (p50/95/99)',
      `${ms(p.probes.latencyMs)}, ${p.probes.arrived}/${p.probes.hires} arrived at ${c.settings.probeHiresPerSecond}/s`,
      `${mark(c.targets.p99Under250Ms)} (p99 < 250 ms)`,
    ],
    ...(p.probeBreakdown
      ? [
          [
            '  probe stages p50/p99 ms',
            Object.entries(p.probeBreakdown.stagesMs)
              .map(([stage, l]) => `${stage} ${l.p50}/${l.p99}`)
              .join(', '),
            '',
          ],
          [
            '  push steps p50/p99 (mean) ms',
            Object.entries(p.probeBreakdown.pushStepsMs ?? {})
              .map(([step, f]) => `${step} ${f.p50}/${f.p99} (${f.mean})`)
              .join(', '),
            'every push, not the probes only',
          ],
          [
            '  push requests p50/p99 (mean) ms',
            Object.entries(p.probeBreakdown.pushRequestsMs ?? {})
              .map(([what, f]) => `${what} ${f.p50}/${f.p99} (${f.mean})`)
              .join(', '),
            '',
          ],
          [
            '  per 30 s: total/hr_read/lms_read/guard/lms_write mean ms',
            p.probeBreakdown.windows
              .map(
                (w) =>
                  `${w.fromS}s ${['total', 'hr_read', 'lms_read', 'guard', 'lms_write']
                    .map((step) => w.stepMeanMs?.[step] ?? '-')
                    .join('/')}`,
              )
              .join(', '),
            '',
          ],
          [
            '  probe pushes >= 250 ms',
            `${p.probeBreakdown.slow.count} (longest stage: ${JSON.stringify(p.probeBreakdown.slow.dominantStage)}; ${p.probeBreakdown.slow.duringOwnScheduledRun} during their company's scheduled run); attempts ${JSON.stringify(p.probeBreakdown.attempts)}, ${p.probeBreakdown.deadLetters} dead letters`,
            '',
          ],
          [
            '  per 30 s: slow/hires p99 ms',
            p.probeBreakdown.windows
              .map((w) => `${w.fromS}s ${w.slow}/${w.hires} ${w.p99}`)
              .join(', '),
            '',
          ],
        ]
      : []),
    ['  others while syncing, healthy', o(p.others.healthy), ''],
    [
      '  (not arrived: counted as the wait)',
      `probes ${JSON.stringify(p.probes.notArrivedWithinMs)}, others ${JSON.stringify(p.others.healthy.notArrivedWithinMs)} / ${JSON.stringify(p.others.slow.notArrivedWithinMs)} ms: count`,
      '',
    ],
    ['  others while syncing, slow', o(p.others.slow), ''],
    [
      'peak concurrent runs',
      `${c.concurrentRuns.peakExecuting} executing (limit ${c.concurrentRuns.limit}), ${c.concurrentRuns.peakRunningOrWaiting} running or waiting for a slot`,
      '',
    ],
    [
      'scheduled runs per minute',
      `due ${c.scheduledRuns.duePerMinute.join(' ')} | started ${c.scheduledRuns.startedPerMinute.join(' ')} | ended ${c.scheduledRuns.endedPerMinute.join(' ')} (${c.scheduledRuns.recorded} runs ${JSON.stringify(c.scheduledRuns.status)})`,
      '',
    ],
    [
      'peak RSS MB',
      rss(c.peakRssMb),
      `${mark(c.targets.rssUnder300Mb)} (< 300 MB, our services; sim reported only)`,
    ],
    ['CPU s (ours/pg)', cpu(c.cpuSeconds), ''],
    [
      'cross-company reads',
      `${c.isolation.foreignUsers} foreign users in ${c.isolation.portals} portals (${c.isolation.missingUsers} missing); ${c.isolation.crossReads.answered404}/${c.isolation.crossReads.reads} other-company reads 404 (own reads 200: ${c.isolation.crossReads.ownReadsOk})`,
      `${mark(c.targets.zeroCrossCompanyReads)} (zero)`,
    ],
  ]);
  if (c.isolation.problems.length) out(`  portal problems: ${c.isolation.problems.join('; ')}`);
  if (c.isolation.crossReads.wrong.length)
    out(`  wrong answers: ${c.isolation.crossReads.wrong.join('; ')}`);

  const single = results.runs?.filter((r) => r.n === 10_000) ?? [];
  out();
  if (!single.length) {
    out('Single company at N = 10,000: no figures in bench/results.json (run with --single).');
    return;
  }
  out(
    `Side by side: one company at N = 10,000 (bench/results.json of ${results.startedAt}, kept as it is)`,
  );
  const of = (name) => single.find((r) => r.scenario === name);
  const rows = [
    ['figure', 'one company, N = 10,000', `${c.companies} companies x ${c.peoplePerCompany}`],
  ];
  rows.push([
    'initial sync wall s',
    of('initial-sync')?.wallSeconds ?? '',
    `${i.wallSeconds} (all of them)`,
  ]);
  rows.push(['calls per change, initial', of('initial-sync')?.callsPerChange ?? '', '']);
  rows.push(['calls per change, 1% changed', of('one-percent')?.callsPerChange ?? '', '']);
  rows.push(['no-change calls', of('no-change')?.talentLmsCalls ?? '', '']);
  rows.push([
    'push latency p50/95/99',
    of('push-latency') ? ms(of('push-latency').latencyMs) : '',
    ms(p.probes.latencyMs),
  ]);
  const peak = (runs) => Math.max(...runs.flatMap((r) => Object.values(r.peakRssMb ?? {})));
  rows.push(['peak RSS MB (any service)', peak(single), peak([c])]);
  table(rows);
}
