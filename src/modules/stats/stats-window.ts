import type { Pool, PoolClient } from 'pg';
import { inPgTransaction } from '../../shared/db/pg-transaction';
import { addSparseText, addToHistogram, newHistogram, type Histogram } from './histogram';
import { CLOCK_NAMES, COUNT_AGGREGATES, COUNT_COLUMNS, ROLLUP_DIMS, hourly, judgedColumns, type ClockName } from './stats.repository';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * A reporting window read from the rollup where it can be and from tickets where it cannot: whole
 * days from daily rows, the whole hours of a rolled-up day cut by the window's edge from hourly
 * rows, and live the rest: the partial hours at the edges, today, and any day whose rollup is
 * missing, dirty (a ticket or decision of that day changed since) or expired (an open clock of that
 * day has fallen due since). Every read runs in one REPEATABLE READ snapshot, so each instant of the
 * window is taken from exactly one source.
 */
export interface WindowPlan {
  /** Whole UTC days read from daily rows. */
  days: Date[];
  /** Whole UTC hours read from hourly rows. */
  hours: Date[];
  /** Half-open [start, end) ranges read from tickets and decisions. */
  live: { start: Date; end: Date }[];
}

/** Splits the valid rolled-up days meeting [from, to) into whole days, whole hours and live ranges. */
export function planWindow(from: Date, to: Date, validDays: Date[]): WindowPlan {
  const days: Date[] = [];
  const hours: Date[] = [];
  const inside = (start: number, ms: number) => start >= from.getTime() && start + ms <= to.getTime();
  for (const d of validDays) {
    if (inside(d.getTime(), DAY_MS)) days.push(d);
    else for (let h = d.getTime(); h < d.getTime() + DAY_MS; h += HOUR_MS) if (inside(h, HOUR_MS)) hours.push(new Date(h));
  }
  const covered = [...days.map((d) => [d.getTime(), DAY_MS]), ...hours.map((h) => [h.getTime(), HOUR_MS])].sort((a, b) => a[0] - b[0]);
  const live: { start: Date; end: Date }[] = [];
  let cursor = from.getTime();
  for (const [start, ms] of covered) {
    if (start > cursor) live.push({ start: new Date(cursor), end: new Date(start) });
    cursor = Math.max(cursor, start + ms);
  }
  if (cursor < to.getTime()) live.push({ start: new Date(cursor), end: to });
  return { days, hours, live };
}

/**
 * For the stats statements only (SET LOCAL ends with the transaction). The planner cannot see how
 * few tickets the live ranges hold (it assumes a third of the table per range), so it would pay
 * 50-200 ms of JIT compilation and start parallel workers for a few thousand rows; hash aggregates
 * over the unnested histograms need more than the default 4 MB to stay in memory.
 */
export const STATS_SESSION = `SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL work_mem = '32MB'`;

/**
 * Runs `fn` in a read-only REPEATABLE READ transaction: the rollup, its dirty marks and tickets seen at
 * one instant. A day judged after the request's `now` (a worker whose clock runs ahead) is read live.
 */
export async function inSnapshot<T>(pool: Pool, fn: (client: PoolClient, plan: (from: Date, to: Date, now: Date) => Promise<WindowPlan>) => Promise<T>): Promise<T> {
  return inPgTransaction(pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
    await client.query(STATS_SESSION);
    const plan = async (from: Date, to: Date, now: Date): Promise<WindowPlan> => {
      const { rows } = await client.query<{ day: Date }>(
        `SELECT d.day FROM stats_days d
         WHERE d.day < $2 AND d.day + interval '24 hours' > $1 AND (d.valid_until IS NULL OR d.valid_until >= $3) AND d.judged_at <= $3
           AND NOT EXISTS (SELECT 1 FROM stats_dirty_days x WHERE x.day = d.day)
         ORDER BY d.day`,
        [from, to, now],
      );
      return planWindow(from, to, rows.map((r) => r.day));
    };
    return fn(client, plan);
  });
}

/** Tickets created in the plan's live ranges, judged at $3, with their key in dimension `dim`; uses $1, $2 (range bounds) and $3. */
function liveTicketsSql(dim: string): string {
  return `SELECT ${ROLLUP_DIMS[dim]} AS key, ${judgedColumns('$3')}
    FROM tickets t JOIN unnest($1::timestamptz[], $2::timestamptz[]) r(s, e) ON t.created_at >= r.s AND t.created_at < r.e`;
}

const rangeParams = (plan: WindowPlan) => [plan.live.map((r) => r.start), plan.live.map((r) => r.end)];

/** The rollup rows of a plan: daily rows of its days and hourly rows of its hours; placeholders from $n on. */
const rolled = (n: number) => `(dim = $${n} AND day = ANY($${n + 1}::timestamptz[])) OR (dim = $${n + 2} AND day = ANY($${n + 3}::timestamptz[]))`;
const ROLLED = rolled(4);
const rolledParams = (plan: WindowPlan, dim: string) => [dim, plan.days, hourly(dim), plan.hours];

export type Counts = Record<string, number>;

/** The rollup's counts per key of `dim` over the window: rolled-up days plus live ranges. */
export async function windowCounts(client: PoolClient, plan: WindowPlan, dim: string, now: Date): Promise<Map<string, Counts>> {
  const { rows } = await client.query<Record<string, unknown>>(
    `WITH x AS (${liveTicketsSql(dim)})
     SELECT key, ${COUNT_COLUMNS.map((c) => `sum(${c})::int AS ${c}`).join(', ')}
     FROM (
       SELECT key, ${COUNT_COLUMNS.join(', ')} FROM stats_daily WHERE ${ROLLED}
       UNION ALL
       SELECT key, ${COUNT_COLUMNS.map((c) => `${COUNT_AGGREGATES[c]}::int`).join(', ')} FROM x GROUP BY key
     ) u GROUP BY key ORDER BY key`,
    [...rangeParams(plan), now, ...rolledParams(plan, dim)],
  );
  return new Map(rows.map((r) => [String(r.key), Object.fromEntries(COUNT_COLUMNS.map((c) => [c, Number(r[c])]))]));
}

/**
 * Merged histograms per key and clock over the window. The rolled-up days' sparse arrays are merged
 * here rather than unnested in SQL: for 30 days by agent that is ~170,000 bucket entries, which
 * Postgres aggregates row by row several times slower than this loop.
 */
export async function windowHistograms(client: PoolClient, plan: WindowPlan, dim: string, now: Date, clocks: ClockName[] = CLOCK_NAMES): Promise<Map<string, Record<ClockName, Histogram>>> {
  const out = new Map<string, Record<ClockName, Histogram>>();
  const histogramsOf = (key: string) => {
    let byClock = out.get(key);
    if (!byClock) out.set(key, (byClock = { fr: newHistogram(), res: newHistogram(), hr: newHistogram() }));
    return byClock;
  };
  if (plan.days.length + plan.hours.length > 0) {
    // As text, parsed by addSparseText: pg's generic array parser took longer than the query itself.
    const { rows } = await client.query<Record<string, string | null>>(
      `SELECT key, ${clocks.map((c) => `${c}_buckets::text AS ${c}_buckets, ${c}_counts::text AS ${c}_counts`).join(', ')} FROM stats_daily WHERE ${rolled(1)}`,
      rolledParams(plan, dim),
    );
    for (const r of rows) {
      // Like the live part below: a key without any measured time gets no histograms.
      if (clocks.every((c) => r[`${c}_buckets`] === null)) continue;
      const h = histogramsOf(String(r.key));
      for (const c of clocks) addSparseText(h[c], r[`${c}_buckets`], r[`${c}_counts`]);
    }
  }
  if (plan.live.length > 0) {
    const { rows } = await client.query<{ key: string; clock: ClockName; bucket: number; n: number }>(
      // Materialized: each ticket's buckets are computed once, not once per clock row.
      `WITH x AS MATERIALIZED (${liveTicketsSql(dim)})
       SELECT x.key, v.clock, v.bucket, count(*)::int AS n
       FROM x CROSS JOIN LATERAL (VALUES ${clocks.map((c) => `('${c}', x.${c}_b)`).join(', ')}) v(clock, bucket)
       WHERE v.bucket IS NOT NULL GROUP BY 1, 2, 3`,
      [...rangeParams(plan), now],
    );
    for (const r of rows) addToHistogram(histogramsOf(r.key)[r.clock], r.bucket, r.n);
  }
  return out;
}

/** Escalation reason codes of human-route decisions in the window (a code counts once per decision). */
export async function windowReasons(client: PoolClient, plan: WindowPlan): Promise<Record<string, number>> {
  const { rows } = await client.query<{ code: string; n: number }>(
    `SELECT code, sum(n)::int AS n FROM (
       SELECT key AS code, tickets AS n FROM stats_daily WHERE ${rolled(3)}
       UNION ALL
       SELECT r.code, count(*)::int FROM decisions d
       JOIN unnest($1::timestamptz[], $2::timestamptz[]) w(lo, hi) ON d.created_at >= w.lo AND d.created_at < w.hi
       CROSS JOIN LATERAL (SELECT DISTINCT e->>'code' AS code FROM jsonb_array_elements(d.reasons) e) r
       WHERE d.route = 'human' AND r.code IS NOT NULL GROUP BY r.code
     ) u GROUP BY code ORDER BY code`,
    [...rangeParams(plan), ...rolledParams(plan, 'reason')],
  );
  return Object.fromEntries(rows.map((r) => [r.code, Number(r.n)]));
}

export interface TrendCounts {
  bucket: Date;
  key: string;
  frAchieved: number;
  frBreached: number;
  resAchieved: number;
  resBreached: number;
}

/** Attainment counts per priority per UTC hour or day of creation. */
export async function windowTrend(client: PoolClient, plan: WindowPlan, bucket: 'hour' | 'day', now: Date): Promise<TrendCounts[]> {
  // Hourly buckets of a whole rolled-up day come from its hourly rows.
  const p = bucket === 'day' ? plan : { ...plan, days: [], hours: [...plan.hours, ...plan.days.flatMap((d) => Array.from({ length: 24 }, (_, i) => new Date(d.getTime() + i * HOUR_MS)))] };
  const { rows } = await client.query<Record<string, unknown>>(
    `WITH x AS (SELECT date_trunc('${bucket}', t.created_at, 'UTC') AS bucket, t.priority::text AS key, ${judgedColumns('$3')}
       FROM tickets t JOIN unnest($1::timestamptz[], $2::timestamptz[]) r(s, e) ON t.created_at >= r.s AND t.created_at < r.e)
     SELECT bucket, key, sum(fr_achieved)::int AS fr_a, sum(fr_breached)::int AS fr_b, sum(res_achieved)::int AS res_a, sum(res_breached)::int AS res_b FROM (
       SELECT date_trunc('${bucket}', day, 'UTC') AS bucket, key, fr_achieved, fr_breached, res_achieved, res_breached FROM stats_daily WHERE ${rolled(4)}
       UNION ALL
       SELECT bucket, key, ${['fr_achieved', 'fr_breached', 'res_achieved', 'res_breached'].map((c) => `${COUNT_AGGREGATES[c]}::int`).join(', ')} FROM x GROUP BY bucket, key
     ) u GROUP BY bucket, key ORDER BY bucket, key`,
    [...rangeParams(p), now, ...rolledParams(p, 'priority')],
  );
  return rows.map((r) => ({
    bucket: r.bucket as Date,
    key: String(r.key),
    frAchieved: Number(r.fr_a),
    frBreached: Number(r.fr_b),
    resAchieved: Number(r.res_a),
    resBreached: Number(r.res_b),
  }));
}
