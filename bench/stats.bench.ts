/**
 * Stats endpoints over 1,000,000 tickets. Generates the data with generate_series in a separate
 * database (handoff_bench_stats, rebuilt only when its row count differs), then times each endpoint
 * through the real HTTP app and prints EXPLAIN ANALYZE of the heaviest statements.
 * Run: npx tsx bench/stats.bench.ts [tickets=1000000]
 */
import pg from 'pg';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/shared/config';
import { createLogger } from '../src/shared/logger';
import { createDeps } from '../src/shared/runtime';
import { setupDatabase } from '../src/shared/db/setup-database';
import { seedDatabase } from '../src/shared/db/seed';

const N = Number(process.argv[2] ?? 1_000_000);
const DB = 'handoff_bench_stats';
const URL_ = `postgresql://postgres@127.0.0.1:5432/${DB}`;
const ADMIN = 'hk_admin_bench_key_0123456789abcdef';
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
  const admin = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  const logger = createLogger('warn');
  await setupDatabase(URL_, logger);
  const client = new pg.Client({ connectionString: URL_ });
  await client.connect();
  await generate(client);

  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', DATABASE_URL: URL_, ADMIN_API_KEY: ADMIN, PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'), QUEUE_PREFIX: 'bench-stats', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000' });
  const deps = createDeps(config, logger);
  await seedDatabase(deps.db, logger);
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
    `/v1/stats/breaches?limit=50`,
  ];
  console.log(`\n| endpoint | median ms | min ms | max ms |\n|---|---|---|---|`);
  for (const path of cases) {
    const times: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const t = performance.now();
      const res = await fetch(base + path, { headers: { authorization: `Bearer ${ADMIN}` } });
      await res.text();
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      if (i > 0) times.push(performance.now() - t); // the first run warms caches
    }
    times.sort((a, b) => a - b);
    console.log(`| \`${path.replace(/from=[^&]+&to=[^&]+/, (m) => (m.includes(iso(now - 91 * day).slice(0, 10)) ? '90 days' : m.includes(iso(now - 30 * day).slice(0, 10)) ? '30 days' : '14 days'))}\` | ${times[RUNS >> 1].toFixed(0)} | ${times[0].toFixed(0)} | ${times[RUNS - 1].toFixed(0)} |`);
  }

  const plans: [string, string][] = [
    ['window scan (stats/sla, 30 days)', `SELECT count(*) FROM tickets t WHERE t.created_at >= now() - interval '30 days' AND t.created_at < now()`],
    ['human queue', `SELECT priority, count(*), min(queued_at) FROM tickets WHERE status = 'human_queued' GROUP BY priority`],
    ['escalation reasons (30 days)', `SELECT r.code, count(*) FROM decisions d CROSS JOIN LATERAL (SELECT DISTINCT e->>'code' AS code FROM jsonb_array_elements(d.reasons) e) r WHERE d.route = 'human' AND d.created_at >= now() - interval '30 days' GROUP BY r.code`],
    ['breaches', `SELECT id FROM tickets t WHERE t.status IN ('ai_queued','human_queued','assigned') AND ((t.first_responded_at IS NULL AND t.ai_answered_at IS NULL AND t.first_response_due_at <= now()) OR t.resolution_due_at <= now() OR (t.human_requested_at IS NOT NULL AND t.human_responded_at IS NULL AND t.human_request_due_at <= now())) LIMIT 51`],
    ['agent load', `SELECT a.id, (SELECT count(*) FROM tickets t WHERE t.assigned_agent_id = a.id AND t.status = 'assigned') FROM agents a`],
  ];
  for (const [name, sql] of plans) {
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS OFF, TIMING ON, SUMMARY ON) ${sql}`);
    console.log(`\n### ${name}\n\`\`\`\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n\`\`\``);
  }
  server.close();
  await deps.close();
  await client.end();
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
