/**
 * Claim throughput and latency over HTTP, as agents' tools see it: `npx tsx bench/claims.bench.ts`.
 * Builds a fresh database (BENCH_DATABASE_URL, default handoff_bench_claims) with 100,000 waiting
 * tickets, then runs 16 and 64 agents claiming concurrently for a bounded time each (BENCH_SECONDS,
 * default 20), and checks in the same run that no ticket was assigned twice.
 * Each scenario first measures its baseline: the bare pick-and-assign statement (FOR UPDATE SKIP LOCKED
 * in claim order, then UPDATE) straight over pg, with the same concurrency and the same pool size
 * (DATABASE_POOL_SIZE, default 10), on its own copy of the queue. That is the physical limit of a
 * Postgres queue on this machine; the ratio to it is the figure that survives a noisy machine. Then
 * claimTicket() called directly (the database side of a claim, no HTTP), the claim route on bare
 * Express, then the HTTP claim through the whole app. The HTTP load comes from another process
 * (bench/claim-load.ts), so this process's CPU time over those runs is the server's alone: server CPU
 * per claim is the other robust figure. The statements sent to Postgres per request are counted too (round
 * trips; several claims or searches in one statement count once). BENCH_PROFILE=<file> writes a CPU
 * profile of the server during the whole-app runs and prints where its time goes.
 */
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import express from 'express';
import { buildApp } from '../src/app';
import type { Deps } from '../src/shared/deps';
import { errorHandler } from '../src/shared/errors/error-handler';
import { loadConfig } from '../src/shared/config';
import { createLogger } from '../src/shared/logger';
import { createDeps } from '../src/shared/runtime';
import { agentsRouter, claimTicket } from '../src/modules/agents';
import { generateKey, hashKey } from '../src/modules/auth/api-keys';
import { setupDatabase } from '../src/shared/db/setup-database';
import { seedDatabase } from '../src/shared/db/seed';
import type { PiiCipher } from '../src/modules/privacy/pii-cipher';
import { claimInLoops, startClaimLoadGenerator, type ClaimLoadResult } from './claim-load';
import { startCpuProfile } from './cpu-profile';
import { recreateDatabase } from './bench-database';
import { cpuMsByPid, cpuMsSince } from './process-cpu';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/handoff_bench_claims';
/**
 * The issue measures claims over 100,000 waiting tickets, and the runs claim from the same queue one after
 * another: on a fast machine 100,000 ran out in the 64-agent runs (2026-11-29), so the queue starts larger
 * and each run reports how many were still waiting when it ended.
 */
const TICKETS = Number(process.env.BENCH_TICKETS ?? 300_000);
const TARGET_WAITING = 100_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const SCENARIOS = [16, 64];
const POOL_SIZE = process.env.DATABASE_POOL_SIZE ?? '10';
const ADMIN_KEY = `hk_admin_bench_${randomUUID()}`;
/**
 * Each concurrent claim loop is a desk of this many agents taking turns, so that an agent holds what a
 * person would (tens of tickets, not thousands): the claim counts the agent's held tickets, and one
 * agent per loop made that count walk every ticket claimed so far by that loop.
 */
const AGENTS_PER_LOOP = Number(process.env.BENCH_AGENTS_PER_LOOP ?? 10);

async function resetDatabase() {
  await recreateDatabase(DATABASE_URL);
  await setupDatabase(DATABASE_URL, createLogger('silent'));
}

const HELD_BY_OTHERS = { agents: 200, each: 5 };

/** What customers write, by the queue's language cycle (en, en, es, fr): the claim decrypts it and searches the knowledge base with it. */
const CUSTOMER_TEXTS = [
  {
    subject: 'Charged twice for my subscription',
    body: 'Hello, I was charged twice for my monthly subscription this week and I would like a refund of the duplicate payment. I have checked my bank statement and both charges are there, on the same day, for the same amount. I already tried to contact you through the chat but nobody answered. Please refund the second charge and confirm by email. Thank you.',
  },
  {
    subject: 'Cannot log in after password reset',
    body: 'Hi, since I reset my password yesterday I cannot log in any more: the app says my password is wrong even though I copied it from my password manager. I tried the reset link twice, cleared the cache and used another browser. I need to access my invoices today for my accountant, so please help me get back into my account as soon as possible.',
  },
  {
    subject: 'Pedido no recibido',
    body: 'Hola, hice un pedido hace dos semanas y todavía no lo he recibido. El seguimiento dice que está en reparto desde hace diez días y nadie me da una respuesta. Quiero saber dónde está mi paquete o que me devuelvan el dinero. Es la segunda vez que me pasa y estoy muy decepcionado con el servicio.',
  },
  {
    subject: 'Remboursement non reçu',
    body: "Bonjour, j'ai renvoyé ma commande il y a trois semaines et je n'ai toujours pas reçu mon remboursement. Le colis a bien été livré à votre entrepôt selon le suivi. Pouvez-vous vérifier et me rembourser rapidement ? Je voudrais aussi parler à une personne, pas à un robot.",
  },
];

/**
 * 100,000 human_queued tickets in one statement: mixed priorities, skills, languages and due times, like a
 * busy queue, each with its customer's words, decision and event. Like a live helpdesk, other agents (away, so they never claim) already hold some tickets,
 * and the statistics are fresh: with no assigned ticket at ANALYZE time the planner counts an agent's
 * held tickets through the status index instead of the per-agent one, which no running system sees.
 */
async function fillQueue(db: pg.Client, cipher: PiiCipher) {
  await db.query(`INSERT INTO customers (id, source, external_id) VALUES (gen_random_uuid(), 'bench', 'bench-customer')`);
  await db.query(
    `WITH others AS (
       INSERT INTO agents (id, name, email, skills, languages, capacity, status, updated_at)
       SELECT gen_random_uuid(), 'Other ' || i, 'other@example.com', ARRAY['billing'], ARRAY['en'], $2::int, 'away', now()
       FROM generate_series(1, $1::int) i RETURNING id)
     INSERT INTO tickets (id, source, external_id, customer_id, channel, status, route, priority, sentiment, complexity,
       flags, reasons, language, skills, assigned_agent_id, assigned_at, queued_at, created_at, updated_at)
     SELECT gen_random_uuid(), 'bench', 'held-' || o.id || '-' || n, (SELECT id FROM customers WHERE external_id = 'bench-customer'), 'web',
       'assigned', 'human', 'normal', -0.2, 0.4, ARRAY[]::text[], '[]'::jsonb, 'en', ARRAY[]::text[], o.id, now(), now(), now(), now()
     FROM others o, generate_series(1, $2::int) n`,
    [HELD_BY_OTHERS.agents, HELD_BY_OTHERS.each],
  );
  // Each ticket as intake stores it: encrypted subject and first message, its routing decision, its human_queued event.
  await db.query(
    `WITH queued AS (
       INSERT INTO tickets (id, source, external_id, customer_id, channel, subject_enc, status, route, priority, sentiment, complexity,
         flags, reasons, language, skills, queued_at, first_response_due_at, resolution_due_at, created_at, updated_at)
       SELECT gen_random_uuid(), 'bench', 'bench-' || i, (SELECT id FROM customers WHERE external_id = 'bench-customer'), 'web',
         ($2::text[])[1 + i % 4], 'human_queued', 'human', (ARRAY['low','normal','normal','high','urgent'])[1 + i % 5]::"Priority",
         CASE WHEN i % 17 = 0 THEN -0.9 ELSE -0.2 END, 0.4,
         CASE WHEN i % 23 = 0 THEN ARRAY['bereavement_or_health'] ELSE ARRAY[]::text[] END,
         '[{"code":"HUMAN_REQUESTED","detail":"bench"}]'::jsonb,
         (ARRAY['en','en','es','fr'])[1 + i % 4],
         CASE i % 4 WHEN 0 THEN ARRAY[]::text[] WHEN 1 THEN ARRAY['billing'] WHEN 2 THEN ARRAY['technical'] ELSE ARRAY['billing','legal'] END,
         now() - make_interval(secs => i % 7200), now() + make_interval(secs => (i % 14400) - 3600), now() + interval '1 day',
         now() - make_interval(secs => i % 7200), now()
       FROM generate_series(1, $1::int) AS i
       RETURNING id, subject_enc, priority, sentiment, flags, reasons, language, created_at),
     messages AS (
       INSERT INTO messages (id, ticket_id, author, body_enc, created_at)
       SELECT gen_random_uuid(), q.id, 'customer', ($3::text[])[array_position($2::text[], q.subject_enc)], q.created_at FROM queued q),
     decisions AS (
       INSERT INTO decisions (id, ticket_id, trigger, route, priority, sentiment, complexity, flags, reasons, language, scorer_version, policy_version, created_at)
       SELECT gen_random_uuid(), q.id, 'intake', 'human', q.priority, q.sentiment, 0.4, q.flags, q.reasons, q.language, 'bench', 'bench', q.created_at FROM queued q)
     INSERT INTO ticket_events (id, ticket_id, type, data, created_at)
     SELECT gen_random_uuid(), q.id, 'human_queued', '{"trigger":"intake"}'::jsonb, q.created_at FROM queued q`,
    [TICKETS, CUSTOMER_TEXTS.map((t) => cipher.encrypt(t.subject)), CUSTOMER_TEXTS.map((t) => cipher.encrypt(t.body))],
  );
  await db.query('ANALYZE');
}

/** The baseline's queue: the same rows, generated claim_rank and partial claim-order index, without Handoff's constraints. */
async function copyQueueForBaseline(db: pg.Client) {
  await db.query('CREATE TABLE baseline_queue (LIKE tickets INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING INDEXES)');
  const { rows } = await db.query<{ columns: string }>(
    `SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) AS columns
     FROM information_schema.columns WHERE table_name = 'tickets' AND is_generated = 'NEVER'`,
  );
  await db.query(`INSERT INTO baseline_queue (${rows[0].columns}) SELECT ${rows[0].columns} FROM tickets`);
  await db.query('ANALYZE baseline_queue');
}

const BASELINE_CLAIM = `
  WITH pick AS (
    SELECT id FROM baseline_queue WHERE status = 'human_queued'
    ORDER BY claim_rank DESC, first_response_due_at, queued_at, id
    LIMIT 1 FOR UPDATE SKIP LOCKED)
  UPDATE baseline_queue q SET status = 'assigned', assigned_agent_id = $1, assigned_at = now(), updated_at = now()
  FROM pick WHERE q.id = pick.id RETURNING q.id`;

interface Run {
  claims: number;
  perSecond: number;
  p50: number;
  p99: number;
  empty: number;
  repeated: number;
  /** This process's CPU per request: the client's and the claim's for in-process loops, the server's alone for HTTP ones. */
  cpuUsPerClaim: number;
  /** CPU of this database's Postgres backends per request (NaN when Postgres is not on this machine). */
  postgresUsPerClaim: number;
  /** Statements this process sent to Postgres per request (every pg client's, Prisma's included): round trips. */
  queriesPerClaim: number;
  load: string;
}

/**
 * Every statement this process sends goes through pg's Client.query (Pool.query and Prisma's adapter-pg
 * included), so counting its calls counts round trips to Postgres without asking Postgres, which has no
 * pg_stat_statements here. Only the server and the in-process loops query during a run.
 */
let queriesSent = 0;
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  queriesSent++;
  return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof clientQuery;

/**
 * CPU time so far of each backend serving this database (Postgres runs on this machine): with Node's
 * own, the whole CPU a claim costs, which is what bounds claims/s on two shared cores.
 */
async function postgresCpu(db: pg.Client): Promise<Map<number, number>> {
  const { rows } = await db.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'");
  return cpuMsByPid(rows.map((r) => r.pid));
}

/** One run's figures; the CPU this process spends meanwhile is the caller's and the claim's, or, when the load comes from the generator, the server's alone. */
async function measure(db: pg.Client, run: () => Promise<ClaimLoadResult>): Promise<Run & { ids: string[] }> {
  const postgresBefore = await postgresCpu(db);
  const cpuBefore = process.cpuUsage();
  const queriesBefore = queriesSent;
  const r = await run();
  const queries = queriesSent - queriesBefore;
  const cpu = process.cpuUsage(cpuBefore);
  const postgresAfter = await postgresCpu(db);
  const requests = Math.max(1, r.ids.length + r.empty);
  return {
    postgresUsPerClaim: (cpuMsSince(postgresBefore, postgresAfter) * 1000) / requests,
    queriesPerClaim: queries / requests,
    cpuUsPerClaim: (cpu.user + cpu.system) / requests,
    ids: r.ids,
    claims: r.ids.length,
    perSecond: r.ids.length / r.elapsedSeconds,
    p50: r.p50,
    p99: r.p99,
    empty: r.empty,
    repeated: r.ids.length - new Set(r.ids).size,
    load: os.loadavg()[0].toFixed(1),
  };
}

/**
 * The same claim route on bare Express, as an admin, without the app's shared middleware (rate limits in
 * Redis, authentication, request logging, helmet, metrics): the gap to the HTTP claim is what they cost.
 */
function bareClaimApp(deps: Deps) {
  const app = express();
  app.use((req, _res, next) => {
    req.principal = { keyId: 'bench', role: 'admin' };
    next();
  });
  app.use(agentsRouter(deps));
  app.use(errorHandler(deps.logger));
  return app;
}

async function main() {
  await resetDatabase();
  const raw = new pg.Client({ connectionString: DATABASE_URL });
  await raw.connect();

  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL,
    ADMIN_API_KEY: ADMIN_KEY,
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    QUEUE_PREFIX: `bench-${randomUUID()}`,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '1000000',
    DATABASE_POOL_SIZE: POOL_SIZE,
  });
  const deps = createDeps(config, createLogger('silent'));
  await seedDatabase(deps.db, deps.logger);
  const fillStart = Date.now();
  await fillQueue(raw, deps.cipher);
  await copyQueueForBaseline(raw);
  console.log(`queue: ${TICKETS} waiting tickets inserted (and copied for the baseline) in ${((Date.now() - fillStart) / 1000).toFixed(1)} s`);
  const baselinePool = new pg.Pool({ connectionString: DATABASE_URL, max: Number(POOL_SIZE) });
  const server = buildApp(deps).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const bareServer = bareClaimApp(deps).listen(0, '127.0.0.1');
  await new Promise((r) => bareServer.once('listening', r));
  const bareBase = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`;
  const generator = startClaimLoadGenerator();
  const profile = process.env.BENCH_PROFILE;

  const results: string[] = [];
  let claimedSoFar = 0;
  for (const agentCount of SCENARIOS) {
    // Agents and their keys are inserted directly: the bench needs capacities far above the API's limit of 100, and thousands of keys.
    const agents = await raw.query<{ id: string }>(
      `INSERT INTO agents (id, name, email, skills, languages, capacity, status, updated_at)
       SELECT gen_random_uuid(), 'Bench ' || i, 'bench@example.com', ARRAY['billing','technical','legal'], ARRAY['en','es','fr'], 1000000, 'available', now()
       FROM generate_series(1, $1::int) i RETURNING id`,
      [agentCount * AGENTS_PER_LOOP],
    );
    const keys = agents.rows.map((a) => ({ agentId: a.id, key: generateKey('agent') }));
    await raw.query(
      `INSERT INTO api_keys (id, name, role, key_hash, agent_id)
       SELECT gen_random_uuid(), 'bench-' || agent_id, 'agent', key_hash, agent_id FROM unnest($1::text[], $2::uuid[]) AS k(key_hash, agent_id)`,
      [keys.map((k) => hashKey(k.key)), keys.map((k) => k.agentId)],
    );
    const loops = Array.from({ length: agentCount }, (_, loop) => keys.slice(loop * AGENTS_PER_LOOP, (loop + 1) * AGENTS_PER_LOOP));
    const baseline = await measure(raw, () =>
      claimInLoops(agentCount, SECONDS, async (loop, turn) => {
        const { rows } = await baselinePool.query<{ id: string }>(BASELINE_CLAIM, [loops[loop][turn % AGENTS_PER_LOOP].agentId]);
        return rows[0]?.id ?? null;
      }),
    );
    const direct = await measure(raw, () =>
      claimInLoops(agentCount, SECONDS, async (loop, turn) => {
        const outcome = await claimTicket(deps, loops[loop][turn % AGENTS_PER_LOOP].agentId, { keyId: 'bench', role: 'agent' });
        return outcome.claimed ? outcome.ticket.id : null;
      }),
    );
    const bare = await measure(raw, () => generator.run({ base: bareBase, loops, seconds: SECONDS }));
    const profiler = profile ? await startCpuProfile() : undefined;
    const handoff = await measure(raw, () => generator.run({ base, loops, seconds: SECONDS }));
    if (profiler) console.log(await profiler.stop(`${profile}.${agentCount}.cpuprofile`));
    const doubles = await raw.query(
      `SELECT count(*)::int AS n FROM (SELECT ticket_id FROM ticket_events WHERE type = 'claimed' GROUP BY ticket_id HAVING count(*) > 1) d`,
    );
    const assigned = await raw.query(`SELECT count(*)::int AS n FROM tickets WHERE status = 'assigned' AND external_id LIKE 'bench-%'`);
    const waiting = await raw.query(`SELECT count(*)::int AS n FROM tickets WHERE status = 'human_queued' AND external_id LIKE 'bench-%'`);
    const left = waiting.rows[0].n as number;
    claimedSoFar += direct.claims + bare.claims + handoff.claims;
    const row = (name: string, r: Run, checks: string) =>
      `| ${agentCount} | ${name} | ${r.claims} | ${r.perSecond.toFixed(0)} | ${(r.perSecond / baseline.perSecond).toFixed(2)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.cpuUsPerClaim.toFixed(0)} | ${r.postgresUsPerClaim.toFixed(0)} | ${r.queriesPerClaim.toFixed(2)} | ${r.empty} | ${r.load} | ${checks} |`;
    results.push(row('baseline: bare SQL', baseline, `same ticket twice: ${baseline.repeated}`));
    results.push(row('claimTicket() direct', direct, `same ticket twice: ${direct.repeated}`));
    results.push(row('claim route, bare Express', bare, `same ticket twice: ${bare.repeated}`));
    const distinct = new Set([...direct.ids, ...bare.ids, ...handoff.ids]).size === direct.claims + bare.claims + handoff.claims;
    results.push(
      row(
        'HTTP claim (whole app)',
        handoff,
        `same ticket twice across runs: ${distinct ? 0 : 'YES'}, >1 claimed event: ${doubles.rows[0].n}, assigned ${assigned.rows[0].n} = claims ${claimedSoFar}; ${left} still waiting${left < TARGET_WAITING ? ` (under ${TARGET_WAITING}: raise BENCH_TICKETS)` : ''}`,
      ),
    );
    console.log(results.slice(-4).join('\n'));
  }

  console.log(`\nmachine: ${os.cpus().length} cores (${os.cpus()[0]?.model}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(
    `${TICKETS} waiting tickets, ${SECONDS} s per run, pool of ${POOL_SIZE}, ${AGENTS_PER_LOOP} agents taking turns per loop; the second scenario continues on the queues the first left.\n`,
  );
  console.log('| agents | run | claims | claims/s | ratio to baseline | p50 ms | p99 ms | Node CPU µs per claim (HTTP: server only) | Postgres CPU µs per claim | pg queries per claim | 204s | load (1 min) | checks |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) console.log(r);

  generator.stop();
  for (const s of [server, bareServer]) {
    s.close();
    s.closeAllConnections();
  }
  await deps.close();
  await baselinePool.end();
  await raw.end();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
