import { Queue, Worker } from 'bullmq';
import type { Deps } from '../../shared/deps';
import { inPgTransaction } from '../../shared/db/pg-transaction';
import { QUEUE_NAMES, createWorkerRedis } from '../../shared/queue/queues';
import { COUNT_AGGREGATES, COUNT_COLUMNS, CLOCK_NAMES, ROLLUP_DIMS, hourly, judgedColumns, pendingDueSql } from './stats.repository';
import { DAY_MS, STATS_SESSION } from './stats-window';

/** Days rebuilt per run at most, so one run stays short; a backlog (first start on a full database) takes a few runs. */
export const MAX_DAYS_PER_RUN = 31;
/** A day is rolled up once it ended this long ago; the triggers mark changes to days that ended 30 minutes ago, leaving a half-hour margin for transactions in flight. */
const SETTLE_MS = 60 * 60_000;
const LOCK_KEY = `hashtext('handoff.stats-rollup')`;

const dims = Object.keys(ROLLUP_DIMS);
const histogramColumns = CLOCK_NAMES.flatMap((c) => [`${c}_buckets`, `${c}_counts`]);

/**
 * Rebuilds stats_daily for `$1` days from tickets judged at `$2`: every dimension per hour in one
 * pass over the days' tickets, then each day's rows as the sums of its hours' (a third less work
 * than grouping the tickets twice).
 */
const BUILD_SQL = `
  WITH x AS (
    SELECT date_trunc('hour', t.created_at, 'UTC') AS hour_start, ARRAY[${dims.map((d) => ROLLUP_DIMS[d]).join(', ')}] AS keys, ${judgedColumns('$2')}
    FROM tickets t JOIN unnest($1::timestamptz[]) d(day) ON t.created_at >= d.day AND t.created_at < d.day + interval '24 hours'),
  y AS (
    SELECT x.hour_start, k.dim, x.keys[k.i] AS key, ${['ai_routed', 'answered', 'escalated', ...CLOCK_NAMES.flatMap((c) => [`${c}_o`, `${c}_b`])].map((c) => `x.${c}`).join(', ')}
    FROM x CROSS JOIN (VALUES ${dims.map((d, i) => `(${i + 1}, '${d}')`).join(', ')}) k(i, dim)),
  ch AS (
    SELECT hour_start, dim, key, ${COUNT_COLUMNS.map((col) => `${COUNT_AGGREGATES[col]}::int AS ${col}`).join(', ')} FROM y GROUP BY hour_start, dim, key),
  c AS (
    SELECT hour_start AS unit, '${hourly('')}' || dim AS dim, key, ${COUNT_COLUMNS.join(', ')} FROM ch
    UNION ALL
    SELECT date_trunc('day', hour_start, 'UTC'), dim, key, ${COUNT_COLUMNS.map((col) => `sum(${col})::int`).join(', ')} FROM ch GROUP BY 1, 2, 3),
  zh AS (
    SELECT y.hour_start, y.dim, y.key, v.clock, v.bucket, count(*)::int AS n
    FROM y CROSS JOIN LATERAL (VALUES ${CLOCK_NAMES.map((c) => `('${c}', y.${c}_b)`).join(', ')}) v(clock, bucket)
    WHERE v.bucket IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5),
  z AS (
    SELECT hour_start AS unit, '${hourly('')}' || dim AS dim, key, clock, bucket, n FROM zh
    UNION ALL
    SELECT date_trunc('day', hour_start, 'UTC'), dim, key, clock, bucket, sum(n)::int FROM zh GROUP BY 1, 2, 3, 4, 5),
  h AS (
    -- Unordered: the two arrays pair up because both aggregates read the group's rows in one order,
    -- and readers add them up in any order, which lets Postgres hash instead of sorting 90,000 rows.
    SELECT unit, dim, key, clock, array_agg(bucket)::smallint[] AS buckets, array_agg(n) AS counts FROM z GROUP BY 1, 2, 3, 4)
  INSERT INTO stats_daily (day, dim, key, ${COUNT_COLUMNS.join(', ')}, ${histogramColumns.join(', ')})
  SELECT c.unit, c.dim, c.key, ${COUNT_COLUMNS.map((col) => `c.${col}`).join(', ')}, ${CLOCK_NAMES.map((cl) => `${cl}.buckets, ${cl}.counts`).join(', ')}
  FROM c ${CLOCK_NAMES.map((cl) => `LEFT JOIN h ${cl} ON ${cl}.unit = c.unit AND ${cl}.dim = c.dim AND ${cl}.key = c.key AND ${cl}.clock = '${cl}'`).join(' ')}`;

const REASONS_SQL = `
  INSERT INTO stats_daily (day, dim, key, tickets)
  SELECT CASE WHEN g.per_hour THEN date_trunc('hour', d.created_at, 'UTC') ELSE date_trunc('day', d.created_at, 'UTC') END,
    CASE WHEN g.per_hour THEN '${hourly('reason')}' ELSE 'reason' END, r.code, count(*)::int
  FROM decisions d JOIN unnest($1::timestamptz[]) w(day) ON d.created_at >= w.day AND d.created_at < w.day + interval '24 hours'
  CROSS JOIN LATERAL (SELECT DISTINCT e->>'code' AS code FROM jsonb_array_elements(d.reasons) e) r
  CROSS JOIN (VALUES (false), (true)) g(per_hour)
  WHERE d.route = 'human' AND r.code IS NOT NULL
  GROUP BY 1, 2, 3`;

const DAYS_SQL = `
  INSERT INTO stats_days (day, judged_at, valid_until)
  SELECT w.day, $2, (SELECT min(${pendingDueSql('$2')}) FROM tickets t WHERE t.created_at >= w.day AND t.created_at < w.day + interval '24 hours')
  FROM unnest($1::timestamptz[]) w(day)
  ON CONFLICT (day) DO UPDATE SET judged_at = EXCLUDED.judged_at, valid_until = EXCLUDED.valid_until`;

/**
 * One run of the rollup: rebuilds (delete, then insert from tickets) the days that changed (dirty),
 * those whose judgement expired (an open clock fell due) and the next days not yet rolled up, up
 * to MAX_DAYS_PER_RUN. A whole day is replaced in one transaction, so nothing is ever counted twice,
 * and an advisory lock lets only one of several workers run it at a time (the others skip).
 * The dirty marks are deleted before the days are read again: a change committed after that read
 * leaves a new mark, so its day is served live until the next run.
 */
export async function rollupStats(deps: Pick<Deps, 'pool'>, now = new Date()): Promise<{ days: number; more: boolean; skipped?: boolean }> {
  return inPgTransaction(deps.pool, 'BEGIN', async (client) => {
    await client.query(STATS_SESSION);
    const { rows: lock } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${LOCK_KEY}) AS ok`);
    if (!lock[0].ok) return { days: 0, more: false, skipped: true };
    const horizon = Math.floor((now.getTime() - SETTLE_MS) / DAY_MS) * DAY_MS;
    const { rows: w } = await client.query<{ last: Date | null }>('SELECT max(day) AS last FROM stats_days');
    const after = new Date(w[0].last ? w[0].last.getTime() + DAY_MS : 0);
    // Days without tickets or decisions are skipped (a window reads them live, at no cost): the new
    // days start at the first one with data. A ticket written later into a skipped day marks it dirty.
    const { rows: f } = await client.query<{ first: Date | null }>(
      `SELECT LEAST((SELECT min(created_at) FROM tickets WHERE created_at >= $1),
         (SELECT min(created_at) FROM decisions WHERE route = 'human' AND created_at >= $1)) AS first`,
      [after],
    );
    // Every day before the watermark is rolled up, or was empty when it was passed.
    const watermark = f[0].first ? Math.min(horizon, Math.floor(f[0].first.getTime() / DAY_MS) * DAY_MS) : Math.max(after.getTime(), horizon);
    const { rows: redo } = await client.query<{ day: Date }>(
      `(SELECT DISTINCT day FROM stats_dirty_days WHERE day < $1 ORDER BY day LIMIT $3)
       UNION (SELECT day FROM stats_days WHERE valid_until < $2 ORDER BY day LIMIT $3)`,
      [new Date(watermark), now, MAX_DAYS_PER_RUN],
    );
    const days = redo.map((r) => r.day.getTime()).slice(0, MAX_DAYS_PER_RUN);
    let next = watermark;
    while (next < horizon && days.length < MAX_DAYS_PER_RUN) {
      days.push(next);
      next += DAY_MS;
    }
    const more = next < horizon || redo.length > MAX_DAYS_PER_RUN;
    if (days.length === 0) return { days: 0, more: false };
    const dayDates = days.map((d) => new Date(d));
    await client.query('DELETE FROM stats_dirty_days WHERE day = ANY($1::timestamptz[])', [dayDates]);
    await client.query(
      `DELETE FROM stats_daily s USING unnest($1::timestamptz[]) w(day) WHERE s.day >= w.day AND s.day < w.day + interval '24 hours'`,
      [dayDates],
    );
    await client.query(BUILD_SQL, [dayDates, now]);
    await client.query(REASONS_SQL, [dayDates]);
    await client.query(DAYS_SQL, [dayDates, now]);
    return { days: days.length, more };
  });
}

/**
 * The rollup as a BullMQ job scheduler shared by all worker processes (upsert is idempotent); a run
 * that finds a backlog queues the next one at once instead of waiting for the interval.
 */
export async function startStatsRollup(deps: Deps): Promise<{ close(): Promise<void> }> {
  const connection = createWorkerRedis(deps.config.redisUrl);
  connection.on('error', () => undefined);
  const prefix = deps.config.queuePrefix;
  const queue = new Queue(QUEUE_NAMES.statsRollup, { connection, prefix });
  queue.on('error', () => undefined);
  await queue.upsertJobScheduler('stats-rollup', { every: deps.config.stats.rollupIntervalMs }, { name: 'rollup', opts: { removeOnComplete: true, removeOnFail: 100 } });
  const worker = new Worker(
    QUEUE_NAMES.statsRollup,
    async () => {
      const r = await rollupStats(deps);
      if (r.days > 0) deps.logger.info({ days: r.days, more: r.more }, 'stats rollup');
      if (r.more) await queue.add('rollup', {}, { removeOnComplete: true, removeOnFail: 100 });
    },
    { connection, prefix, concurrency: 1 },
  );
  worker.on('error', (err) => deps.logger.warn({ err: { message: err.message } }, 'stats rollup error'));
  return {
    async close() {
      await worker.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
