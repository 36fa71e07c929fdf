// `--pg-stats`: what the statements of a scenario cost Postgres, from pg_stat_statements (the
// server must preload it): a snapshot of DATABASE_URL's database before and after, and the
// difference per statement. Every schema's statement is its own entry (the query id covers the
// tables), but the database is all that tells the benchmark's apart from anyone else's: give the
// benchmark a database of its own (DATABASE_URL=.../bench) when others use the same server.
import pg from 'pg';
import { DATABASE_URL } from './system.mjs';

const COUNTERS = [
  'calls',
  'rows',
  'total_exec_time',
  'total_plan_time',
  'shared_blks_hit',
  'shared_blks_read',
  'shared_blks_dirtied',
  'temp_blks_written',
];

async function snapshot() {
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const { rows } = await db.query(
      `SELECT userid::text || '/' || queryid::text || '/' || toplevel::text AS key, query,
              ${COUNTERS.join(', ')}
         FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    return new Map(rows.map((r) => [r.key, r]));
  } finally {
    await db.end();
  }
}

/**
 * Planning times too, for the sessions opened until the returned undo(): set on the database (a
 * superuser-only setting the services' role cannot set itself), so it is the benchmark's own.
 */
export async function trackPlanning() {
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  const alter = (what) =>
    db
      .query(`SELECT format('ALTER DATABASE %I ${what}', current_database()) AS sql`)
      .then(({ rows }) => db.query(rows[0].sql));
  try {
    await alter('SET pg_stat_statements.track_planning = on');
  } finally {
    await db.end();
  }
  return async () => {
    const again = new pg.Client({ connectionString: DATABASE_URL });
    await again.connect();
    try {
      await again
        .query(
          `SELECT format('ALTER DATABASE %I RESET pg_stat_statements.track_planning', current_database()) AS sql`,
        )
        .then(({ rows }) => again.query(rows[0].sql));
    } finally {
      await again.end();
    }
  };
}

/** Starts watching; `end()` resolves the statements' costs since, largest first. */
export async function watchStatements() {
  const before = await snapshot();
  return {
    async end(top = 15) {
      const after = await snapshot();
      // Same text in several schemas: summed, since a statement's cost is the question.
      const byText = new Map();
      for (const [key, row] of after) {
        const was = before.get(key);
        const text = row.query.replace(/\s+/g, ' ').trim();
        const sum = byText.get(text) ?? {
          query: text,
          ...Object.fromEntries(COUNTERS.map((c) => [c, 0])),
        };
        for (const c of COUNTERS) sum[c] += Number(row[c]) - Number(was?.[c] ?? 0);
        byText.set(text, sum);
      }
      const all = [...byText.values()].filter((s) => s.calls > 0);
      const round = (s) => ({
        ...s,
        total_exec_time: Math.round(s.total_exec_time),
        total_plan_time: Math.round(s.total_plan_time),
        query: s.query.slice(0, 300),
      });
      const totals = Object.fromEntries(
        COUNTERS.map((c) => [c, Math.round(all.reduce((t, s) => t + s[c], 0))]),
      );
      const time = (s) => s.total_exec_time + s.total_plan_time;
      const blocks = (s) => s.shared_blks_hit + s.shared_blks_read;
      return {
        statements: all.length,
        totals,
        byTime: [...all]
          .sort((a, b) => time(b) - time(a))
          .slice(0, top)
          .map(round),
        byBlocks: [...all]
          .sort((a, b) => blocks(b) - blocks(a))
          .slice(0, top)
          .map(round),
      };
    },
  };
}

/** The top statements as lines for the console. */
export function statementLines(stats) {
  const line = (s) =>
    `${String(s.total_exec_time).padStart(7)}+${String(s.total_plan_time).padEnd(6)} ms (run+plan) ${String(s.calls).padStart(8)} calls ${String(s.rows).padStart(9)} rows ${String(s.shared_blks_hit + s.shared_blks_read).padStart(11)} blks  ${s.query.slice(0, 160)}`;
  return [
    `pg_stat_statements: ${stats.statements} statements, ${JSON.stringify(stats.totals)}`,
    'top by total time (run + plan):',
    ...stats.byTime.map(line),
    'top by shared blocks (hit + read):',
    ...stats.byBlocks.map(line),
  ];
}
