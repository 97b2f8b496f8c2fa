/**
 * Stats endpoints over 1,000,000 tickets. Generates the data with generate_series in a separate
 * database (handoff_bench_stats, or handoff_bench_stats_<N> for other sizes, rebuilt only when its
 * row count differs), brings the daily rollup up to date as the worker's job would, then times each
 * endpoint through the real HTTP app and prints EXPLAIN ANALYZE of the statements they run.
 * Run: npx tsx bench/stats.bench.ts [tickets=1000000]
 */
import pg from 'pg';
import type { PoolClient } from 'pg';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/app';
import { BENCH_ADMIN_KEY as ADMIN, openBenchDatabase } from './bench-database';
import { rollupStats } from '../src/modules/stats/stats-rollup';
import { breachingTickets } from '../src/modules/stats/stats.repository';
import { inSnapshot, windowCounts, windowHistograms, windowReasons, windowTrend, type WindowPlan } from '../src/modules/stats/stats-window';

const N = Number(process.argv[2] ?? 1_000_000);
const DB = N === 1_000_000 ? 'handoff_bench_stats' : `handoff_bench_stats_${N}`;
const RUNS = 7;

async function generate(client: pg.Client) {
  const { rows } = await client.query('SELECT count(*)::int AS n FROM tickets');
  if (rows[0].n === N) return console.log(`reusing ${N} tickets`);
  const t0 = Date.now();
  await client.query('TRUNCATE tickets, customers, decisions, agents CASCADE');
  await client.query(`INSERT INTO customers (id, source, external_id) VALUES ('00000000-0000-0000-0000-000000000001', 'bench', 'c')`);
  await client.query(`INSERT INTO agents (id, name, email, skills, languages, capacity, status)
    SELECT gen_random_uuid(), 'agent ' || g, 'a@example.com', '{}', '{en}', 5, 'available' FROM generate_series(1, 50) g`);
  // 90 days of tickets; about 55 % AI-routed, 5 % still open, priorities and groups spread.
  await client.query(`
    INSERT INTO tickets (id, source, external_id, customer_id, channel, status, route, initial_route, priority, sentiment, complexity, flags, reasons,
      language, skills, customer_locale, customer_tier, assigned_agent_id, queued_at, ai_answered_at, escalated_after_ai, human_requested_at,
      human_request_due_at, first_response_due_at, resolution_due_at, first_responded_at, human_responded_at, resolved_at, created_at)
    SELECT gen_random_uuid(), (ARRAY['zendesk','freshdesk','intercom'])[1 + g % 3], g::text, '00000000-0000-0000-0000-000000000001',
      (ARRAY['email','chat','web','phone','social'])[1 + g % 5]::"Channel",
      st::"TicketStatus", rt::"Route", ir::"Route", pr::"Priority", 0, 0.3, '{}', '[{"code":"ROUTINE","detail":"bench"}]', 'en', '{}',
      (ARRAY['en','es','fr','de','pt'])[1 + g % 5], (ARRAY['standard','premium','vip'])[1 + g % 3]::"Tier",
      CASE WHEN st IN ('assigned','resolved') AND rt = 'human' THEN (SELECT id FROM agents ORDER BY id OFFSET g % 50 LIMIT 1) END,
      c, CASE WHEN ir = 'ai' AND st <> 'ai_queued' THEN c + interval '2 min' END, ir = 'ai' AND rt = 'human',
      CASE WHEN g % 10 = 0 THEN c END, CASE WHEN g % 10 = 0 THEN c + interval '30 min' END,
      c + fr_min * interval '1 min', c + fr_min * 6 * interval '1 min',
      CASE WHEN st IN ('assigned','resolved') OR (ir = 'ai' AND st <> 'ai_queued') THEN c + (random() * fr_min * 1.3) * interval '1 min' END,
      CASE WHEN g % 10 = 0 AND st IN ('assigned','resolved') THEN c + random() * interval '50 min' END,
      CASE WHEN st = 'resolved' THEN c + (random() * fr_min * 7) * interval '1 min' END, c
    FROM (
      SELECT g, now() - (g::float8 / ${N}) * interval '90 days' AS c,
        (ARRAY[15, 60, 240, 480])[1 + g % 4] AS fr_min, (ARRAY['urgent','high','normal','low'])[1 + g % 4] AS pr,
        CASE WHEN g % 20 = 0 THEN (ARRAY['ai_queued','human_queued','assigned'])[1 + g % 3]
             WHEN g % 100 < 55 THEN CASE WHEN g % 7 = 0 THEN 'resolved' ELSE 'ai_answered' END ELSE 'resolved' END AS st,
        CASE WHEN g % 100 < 55 THEN 'ai' ELSE 'human' END AS ir,
        CASE WHEN g % 20 = 0 AND g % 3 = 0 THEN 'ai' WHEN g % 100 < 55 AND g % 7 <> 0 AND g % 20 <> 0 THEN 'ai' ELSE 'human' END AS rt
      FROM generate_series(1, ${N}) g) s`);
  await client.query(`
    INSERT INTO decisions (id, ticket_id, trigger, route, priority, sentiment, complexity, flags, reasons, language, scorer_version, policy_version, created_at)
    SELECT gen_random_uuid(), id, 'intake', route, priority, 0, 0.3, '{}',
      jsonb_build_array(jsonb_build_object('code', (ARRAY['HUMAN_REQUESTED','NEGATIVE_SENTIMENT','SENSITIVE_TOPIC','HIGH_COMPLEXITY','CUSTOMER_DISSATISFIED'])[1 + (hashtext(id::text) & 3)], 'detail', 'bench')),
      'en', 'bench', 'bench', created_at
    FROM tickets`);
  await client.query('VACUUM ANALYZE tickets');
  await client.query('VACUUM ANALYZE decisions');
  console.log(`generated ${N} tickets and decisions in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

async function main() {
  const { client, deps } = await openBenchDatabase({ db: DB, queuePrefix: 'bench-stats', generate });
  const r0 = Date.now();
  let rolled = 0;
  for (;;) {
    const r = await rollupStats(deps);
    rolled += r.days;
    if (!r.more && !r.skipped) break;
  }
  await client.query('VACUUM ANALYZE stats_daily');
  const { rows: size } = await client.query(`SELECT count(*)::int AS n, pg_size_pretty(pg_total_relation_size('stats_daily')) AS bytes FROM stats_daily`);
  console.log(`rollup: ${rolled} days (re)built in ${((Date.now() - r0) / 1000).toFixed(1)} s; stats_daily holds ${size[0].n} rows, ${size[0].bytes}`);
  // The steady state: one changed day, as after an agent resolves a ticket from three days ago.
  await client.query(`INSERT INTO stats_dirty_days (day) VALUES (date_trunc('day', now() - interval '3 days', 'UTC'))`);
  const r1 = Date.now();
  await rollupStats(deps);
  console.log(`rollup of one dirty day: ${Date.now() - r1} ms`);
  const server = buildApp(deps).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const day = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const now = Date.now();
  const w30 = `from=${iso(now - 30 * day)}&to=${iso(now)}`;
  const w90 = `from=${iso(now - 91 * day)}&to=${iso(now)}`;
  const cases = [
    `/v1/stats/sla?groupBy=priority&${w30}`,
    `/v1/stats/sla?groupBy=agent&${w30}`,
    `/v1/stats/sla?groupBy=priority&${w90}`,
    `/v1/stats/fairness?attribute=locale&${w30}`,
    `/v1/stats/fairness?attribute=locale&${w90}`,
    `/v1/stats/sla/trend?bucket=day&from=${iso(now - 14 * day)}&to=${iso(now)}`,
    `/v1/stats/sla/trend?bucket=hour&from=${iso(now - 14 * day)}&to=${iso(now)}`,
    `/v1/stats/breaches?limit=50`,
  ];
  console.log(`\n| endpoint | median ms | min ms | max ms | percentiles |\n|---|---|---|---|---|`);
  for (const path of cases) {
    const times: number[] = [];
    let method = '';
    for (let i = 0; i < RUNS + 1; i++) {
      const t = performance.now();
      const res = await fetch(base + path, { headers: { authorization: `Bearer ${ADMIN}` } });
      await res.text();
      method = res.headers.get('x-stats-percentiles') ?? '';
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      if (i > 0) times.push(performance.now() - t); // the first run warms caches
    }
    times.sort((a, b) => a - b);
    console.log(`| \`${path.replace(/from=[^&]+&to=[^&]+/, (m) => (m.includes(iso(now - 91 * day).slice(0, 10)) ? '90 days' : m.includes(iso(now - 30 * day).slice(0, 10)) ? '30 days' : '14 days'))}\` | ${times[RUNS >> 1].toFixed(0)} | ${times[0].toFixed(0)} | ${times[RUNS - 1].toFixed(0)} | ${method} |`);
  }

  // The statements the endpoints run, captured by a client that EXPLAINs instead of executing.
  const explain = async (name: string, run: (c: PoolClient, plan: WindowPlan) => Promise<unknown>, from: number, to = now) => {
    await inSnapshot(deps.pool, async (c, plan) => {
      const p = await plan(new Date(from), new Date(to), new Date(now));
      const plans: string[] = [];
      const explaining = { query: async (sql: string, params: unknown[]) => {
        const { rows } = await c.query(`EXPLAIN (ANALYZE, BUFFERS OFF, TIMING ON, SUMMARY ON) ${sql}`, params);
        plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
        return { rows: [] };
      } } as unknown as PoolClient;
      await run(explaining, p);
      const liveMs = p.live.reduce((s, r) => s + r.end.getTime() - r.start.getTime(), 0);
      console.log(`\n### ${name}\n(${p.days.length} rolled-up days, ${(liveMs / 3_600_000).toFixed(1)} hours live)\n\`\`\`\n${plans.join('\n\n')}\n\`\`\``);
    });
  };
  const n = new Date(now);
  await explain('stats/sla counts, 30 days, groupBy=priority', (c, p) => windowCounts(c, p, 'priority', n), now - 30 * day);
  await explain('stats/sla histograms, 30 days, groupBy=agent', (c, p) => windowHistograms(c, p, 'agent', n), now - 30 * day);
  await explain('stats/sla escalation reasons, 90 days', (c, p) => windowReasons(c, p), now - 91 * day);
  await explain('stats/sla/trend, 14 days by day', (c, p) => windowTrend(c, p, 'day', n), now - 14 * day);
  let breachSql = '';
  const capturing = { $queryRawUnsafe: async (sql: string) => ((breachSql = sql), []) } as unknown as typeof deps.db;
  await breachingTickets(capturing, new Date(now + 600_000), 51);
  const breaches = await client.query(`EXPLAIN (ANALYZE, BUFFERS OFF, TIMING ON, SUMMARY ON) ${breachSql}`, [new Date(now + 600_000), 51]);
  console.log(`\n### breaches\n\`\`\`\n${breaches.rows.map((r) => r['QUERY PLAN']).join('\n')}\n\`\`\``);
  server.close();
  await deps.close();
  await client.end();
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
