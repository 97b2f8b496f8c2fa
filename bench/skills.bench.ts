/**
 * The skills-gap report over 1,000,000 tickets (92 days, about 45 % with people, 0–2 skills each,
 * a claimed event per claim, 10 % of them overflowing) and 200 agents whose availability history has
 * four changes a day (shift start, a break, back, shift end). Generates the data in its own database
 * (handoff_bench_skills, rebuilt only when its row count differs), then times the endpoint through
 * the real HTTP app for 7, 30 and 92 days.
 * Run: npx tsx bench/skills.bench.ts [tickets=1000000]
 */
import pg from 'pg';
import { createLogger } from '../src/shared/logger';
import { setupDatabase } from '../src/shared/db/setup-database';
import { ADMIN_KEY, startApp } from '../test/support/start-app';

const N = Number(process.argv[2] ?? 1_000_000);
const DAYS = 92;
const DB = 'handoff_bench_skills';
const URL_ = `postgresql://postgres@127.0.0.1:5432/${DB}`;
const RUNS = 5;
const SKILLS = `ARRAY['billing','technical','legal','privacy','complaints','account_security','sensitive_care']`;

async function generate(client: pg.Client) {
  const { rows } = await client.query('SELECT count(*)::int AS n FROM tickets');
  if (rows[0].n === N) return console.log(`reusing ${N} tickets`);
  const t0 = Date.now();
  await client.query('TRUNCATE tickets, customers, decisions, agents, agent_status_changes, ticket_events CASCADE');
  await client.query(`INSERT INTO customers (id, source, external_id) VALUES ('00000000-0000-0000-0000-000000000001', 'bench', 'c')`);
  await client.query(`INSERT INTO agents (id, name, email, skills, languages, capacity, status)
    SELECT gen_random_uuid(), 'agent ' || g, 'a@example.com',
      ARRAY[(${SKILLS})[1 + g % 7], (${SKILLS})[1 + (g * 3) % 7]], '{en}', 5, 'offline' FROM generate_series(1, 200) g`);
  // Each agent works an 8-hour shift starting at its own hour, with a 30-minute break in the middle.
  await client.query(`
    INSERT INTO agent_status_changes (agent_id, status, skills, changed_at)
    SELECT a.id, x.status::"AgentStatus", a.skills, d + make_interval(hours => a.start) + x.offset_
    FROM (SELECT id, skills, (row_number() OVER (ORDER BY id))::int % 24 AS start FROM agents) a
    CROSS JOIN generate_series(date_trunc('day', now()) - interval '${DAYS + 1} days', now(), interval '1 day') d
    CROSS JOIN (VALUES ('available', interval '0'), ('away', interval '4 hours'), ('available', interval '4 hours 30 minutes'), ('offline', interval '8 hours 30 minutes')) x(status, offset_)
    WHERE d + make_interval(hours => a.start) + x.offset_ < now()`);
  await client.query(`
    INSERT INTO tickets (id, source, external_id, customer_id, channel, status, route, initial_route, priority, sentiment, complexity, flags, reasons,
      language, skills, queued_at, assigned_at, assigned_agent_id, human_responded_at, created_at)
    SELECT gen_random_uuid(), 'bench', g::text, '00000000-0000-0000-0000-000000000001', 'web',
      CASE WHEN NOT human THEN 'ai_answered' WHEN g % 20 = 0 THEN 'human_queued' ELSE 'resolved' END::"TicketStatus",
      CASE WHEN human THEN 'human' ELSE 'ai' END::"Route", CASE WHEN g % 100 < 50 THEN 'ai' ELSE 'human' END::"Route",
      'normal', 0, 0.3, '{}', '[{"code":"ROUTINE","detail":"bench"}]', 'en',
      CASE g % 3 WHEN 0 THEN '{}'::text[] WHEN 1 THEN ARRAY[(${SKILLS})[1 + g % 7]] ELSE ARRAY[(${SKILLS})[1 + g % 7], (${SKILLS})[1 + (g / 7) % 7]] END,
      c, CASE WHEN human AND g % 20 <> 0 THEN c + (random() * 40) * interval '1 min' END,
      CASE WHEN human AND g % 20 <> 0 THEN (SELECT id FROM agents ORDER BY id OFFSET g % 200 LIMIT 1) END,
      CASE WHEN human AND g % 20 <> 0 THEN c + (40 + random() * 40) * interval '1 min' END, c
    FROM (SELECT g, now() - (g::float8 / ${N}) * interval '${DAYS} days' AS c, g % 100 >= 55 AS human FROM generate_series(1, ${N}) g) s`);
  await client.query(`
    INSERT INTO ticket_events (id, ticket_id, type, agent_id, data, created_at)
    SELECT gen_random_uuid(), t.id, 'claimed', t.assigned_agent_id,
      CASE WHEN hashtext(t.id::text) % 10 = 0 AND cardinality(t.skills) > 0
        THEN jsonb_build_object('priority', 'normal', 'overflow', jsonb_build_object('missingSkills', to_jsonb(t.skills[1:1]), 'waitedSeconds', 600, 'reason', 'bench'))
        ELSE '{"priority":"normal"}'::jsonb END, t.assigned_at
    FROM tickets t WHERE t.assigned_at IS NOT NULL`);
  for (const table of ['tickets', 'ticket_events', 'agent_status_changes']) await client.query(`VACUUM ANALYZE ${table}`);
  console.log(`generated ${N} tickets, their claims and the availability history in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

async function main() {
  await setupDatabase(URL_, createLogger('warn'));
  const client = new pg.Client({ connectionString: URL_ });
  await client.connect();
  await generate(client);
  // The real HTTP app (auth, validation, Prisma over adapter-pg) on this database.
  const app = await startApp({ DATABASE_URL: URL_, RATE_LIMIT_PER_MINUTE: '100000' });
  const now = Date.now();

  console.log(`\n| window | tickets in window (and before it) | median ms | min ms | max ms |\n|---|---|---|---|---|`);
  for (const days of [7, 30, DAYS / 2, DAYS]) {
    const path = `/v1/stats/skills?from=${new Date(now - days * 86_400_000).toISOString()}&to=${new Date(now).toISOString()}`;
    const times: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const t = performance.now();
      const res = await fetch(app.url + path, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${body}`);
      if (i > 0) times.push(performance.now() - t); // the first run warms caches
    }
    times.sort((a, b) => a - b);
    const inWindow = Math.round((N * Math.min(days, DAYS)) / DAYS);
    const before = Math.round((N * Math.min(days, DAYS - days)) / DAYS);
    console.log(`| ${days} days | ~${inWindow.toLocaleString('en')} (~${before.toLocaleString('en')}) | ${times[RUNS >> 1].toFixed(0)} | ${times[0].toFixed(0)} | ${times[RUNS - 1].toFixed(0)} |`);
  }
  await app.close();
  await client.end();
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
