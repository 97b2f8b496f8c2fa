/**
 * Claim throughput and latency over HTTP, as agents' tools see it: `npx tsx bench/claims.bench.ts`.
 * Builds a fresh database (BENCH_DATABASE_URL, default handoff_bench_claims) with 100,000 waiting
 * tickets, then runs 16 and 64 agents claiming concurrently against the real app for a bounded time
 * each (BENCH_SECONDS, default 20), and checks that no ticket was assigned twice.
 */
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/shared/config';
import { createLogger } from '../src/shared/logger';
import { createDeps } from '../src/shared/runtime';
import { setupDatabase } from '../src/shared/db/setup-database';
import { seedDatabase } from '../src/shared/db/seed';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/handoff_bench_claims';
const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const SCENARIOS = [16, 64];
const ADMIN_KEY = `hk_admin_bench_${randomUUID()}`;

async function resetDatabase() {
  const admin = new URL(DATABASE_URL);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
  await setupDatabase(DATABASE_URL, createLogger('silent'));
}

/** 100,000 human_queued tickets in one statement: mixed priorities, skills, languages and due times, like a busy queue. */
async function fillQueue(db: pg.Client) {
  await db.query(`INSERT INTO customers (id, source, external_id) VALUES (gen_random_uuid(), 'bench', 'bench-customer')`);
  await db.query(
    `INSERT INTO tickets (id, source, external_id, customer_id, channel, status, route, priority, sentiment, complexity,
       flags, reasons, language, skills, queued_at, first_response_due_at, resolution_due_at, created_at, updated_at)
     SELECT gen_random_uuid(), 'bench', 'bench-' || i, (SELECT id FROM customers WHERE external_id = 'bench-customer'), 'web',
       'human_queued', 'human', (ARRAY['low','normal','normal','high','urgent'])[1 + i % 5]::"Priority",
       CASE WHEN i % 17 = 0 THEN -0.9 ELSE -0.2 END, 0.4,
       CASE WHEN i % 23 = 0 THEN ARRAY['bereavement_or_health'] ELSE ARRAY[]::text[] END,
       '[{"code":"HUMAN_REQUESTED","detail":"bench"}]'::jsonb,
       (ARRAY['en','en','es','fr'])[1 + i % 4],
       CASE i % 4 WHEN 0 THEN ARRAY[]::text[] WHEN 1 THEN ARRAY['billing'] WHEN 2 THEN ARRAY['technical'] ELSE ARRAY['billing','legal'] END,
       now() - make_interval(secs => i % 7200), now() + make_interval(secs => (i % 14400) - 3600), now() + interval '1 day',
       now() - make_interval(secs => i % 7200), now()
     FROM generate_series(1, $1::int) AS i`,
    [TICKETS],
  );
  await db.query('ANALYZE tickets');
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  await resetDatabase();
  const raw = new pg.Client({ connectionString: DATABASE_URL });
  await raw.connect();
  const fillStart = Date.now();
  await fillQueue(raw);
  console.log(`queue: ${TICKETS} waiting tickets inserted in ${((Date.now() - fillStart) / 1000).toFixed(1)} s`);

  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL,
    ADMIN_API_KEY: ADMIN_KEY,
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    QUEUE_PREFIX: `bench-${randomUUID()}`,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '1000000',
  });
  const deps = createDeps(config, createLogger('silent'));
  await seedDatabase(deps.db, deps.logger);
  const server = buildApp(deps).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (key: string, method: string, path: string, body?: unknown) =>
    fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  const results: string[] = [];
  for (const agentCount of SCENARIOS) {
    // Agents are inserted directly: the bench needs capacities far above the API's limit of 100.
    const agents = await raw.query<{ id: string }>(
      `INSERT INTO agents (id, name, email, skills, languages, capacity, status, updated_at)
       SELECT gen_random_uuid(), 'Bench ' || i, 'bench@example.com', ARRAY['billing','technical','legal'], ARRAY['en','es','fr'], 1000000, 'available', now()
       FROM generate_series(1, $1::int) i RETURNING id`,
      [agentCount],
    );
    const keys = await Promise.all(
      agents.rows.map(async (a) => {
        const res = await call(ADMIN_KEY, 'POST', '/v1/api-keys', { name: `bench-${a.id}`, role: 'agent', agentId: a.id });
        return { agentId: a.id, key: ((await res.json()) as { key: string }).key };
      }),
    );
    const latencies: number[] = [];
    const claimedIds: string[] = [];
    let empty = 0;
    const deadline = Date.now() + SECONDS * 1000;
    const start = process.hrtime.bigint();
    await Promise.all(
      keys.map(async ({ agentId, key }) => {
        while (Date.now() < deadline) {
          const t0 = process.hrtime.bigint();
          const res = await call(key, 'POST', `/v1/agents/${agentId}/claim`);
          const body = res.status === 200 ? ((await res.json()) as { ticket: { id: string } }) : await res.text();
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (res.status === 200) claimedIds.push((body as { ticket: { id: string } }).ticket.id);
          else if (res.status === 204) empty++;
          else throw new Error(`claim failed: ${res.status} ${String(body)}`);
        }
      }),
    );
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    latencies.sort((a, b) => a - b);
    const doubles = await raw.query(
      `SELECT count(*)::int AS n FROM (SELECT ticket_id FROM ticket_events WHERE type = 'claimed' GROUP BY ticket_id HAVING count(*) > 1) d`,
    );
    const assigned = await raw.query(`SELECT count(*)::int AS n FROM tickets WHERE status = 'assigned'`);
    const distinct = new Set(claimedIds).size;
    results.push(
      `| ${agentCount} | ${claimedIds.length} | ${(claimedIds.length / elapsed).toFixed(0)} | ${percentile(latencies, 50).toFixed(1)} | ${percentile(latencies, 99).toFixed(1)} | ${empty} | ${claimedIds.length - distinct} | ${doubles.rows[0].n} | ${assigned.rows[0].n} |`,
    );
    console.log(results.at(-1));
  }

  console.log(`\nmachine: ${os.cpus().length} cores (${os.cpus()[0]?.model}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`${TICKETS} waiting tickets, ${SECONDS} s per scenario; the second scenario continues on the queue the first left.\n`);
  console.log('| agents | claims | claims/s | p50 ms | p99 ms | 204s | same ticket twice in responses | tickets with >1 claimed event | tickets assigned (all runs) |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) console.log(r);

  server.close();
  server.closeAllConnections();
  await deps.close();
  await raw.end();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
