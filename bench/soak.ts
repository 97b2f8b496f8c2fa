/**
 * `npm run soak`: Handoff as several real processes (2 API, 2 workers) on a private Redis and a
 * private Postgres cluster (initdb in a temporary directory, deleted at the end), under mixed load
 * (intake with duplicates and follow-ups, AI answers, agents claiming, replying and resolving) while
 * processes are SIGKILLed and restarted at random, Redis is killed and restarted once and Postgres
 * is crashed (`pg_ctl stop -m immediate`) and restarted once. Then it waits for quiescence and
 * reconciles what the clients were told against what Postgres holds. Exits 1 on any violation.
 * Loopback only. SOAK_SECONDS bounds the load phase (default 180).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { setupDatabase } from '../src/shared/db/setup-database';
import { seedDatabase } from '../src/shared/db/seed';
import { loadConfig } from '../src/shared/config';
import { createLogger } from '../src/shared/logger';
import { createDeps } from '../src/shared/runtime';
import { startLocalServer } from '../test/support/local-server';
import { freePort, startHandoff, startPostgres, startRedis, type Proc } from '../test/support/processes';
import { ADMIN_KEY, TEST_PII_KEY } from '../test/support/start-app';

const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 180);
const CUSTOMERS = 6;
const AGENTS = 4;
const AGENT_CAPACITY = 2;
const QUIESCENCE_TIMEOUT_MS = 120_000;
// Long enough for intake to answer 503 and workers to meet errors, short enough for clients' retries to outlast it.
const POSTGRES_DOWN_MS = 5_000;
// About 20 s of retrying: long enough to outlast a restarting API process or a Redis restart.
const DELIVERY_ATTEMPTS = 10;

const ROUTINE = ['How do I reset my password?', 'Where can I see the status of my order?', 'How do I change my email address?', 'Can I change my delivery address?'];
const HUMAN = ['I want to talk to a human agent, not a bot.', 'Please put me through to a real person.'];
const FOLLOW_UPS = ['Thanks. And how do I update my billing address?', 'That did not help at all, I want to talk to a person.'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

interface Res {
  status: number;
  body: any;
}

/** One HTTP call that never throws: a refused or reset connection (a killed process) is status 0. */
async function call(base: string, key: string, method: string, path: string, body?: unknown): Promise<Res> {
  try {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed };
  } catch {
    return { status: 0, body: undefined };
  }
}

interface Slot {
  name: string;
  env: Record<string, string>;
  proc: Proc;
  port?: number;
}

async function main(): Promise<void> {
  const started = Date.now();
  const logger = createLogger('warn');
  // A private cluster, because the soak crashes it; the machine's shared Postgres is never touched.
  const postgres = await startPostgres(['handoff_soak']);
  const DATABASE_URL = postgres.url('handoff_soak');
  await setupDatabase(DATABASE_URL, logger);
  let redis = await startRedis();
  const runId = randomUUID().slice(0, 8);
  const source = `soak-${runId}`;
  const callbacks = await startLocalServer(() => ({ status: 200, body: { ok: true } }));

  // The soak's own view of the database: seeding, and the reconciliation at the end.
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL, REDIS_URL: redis.url, ADMIN_API_KEY: ADMIN_KEY, PII_ENCRYPTION_KEY: TEST_PII_KEY, LOG_LEVEL: 'silent', QUEUE_PREFIX: `soak-${runId}` });
  const deps = createDeps(config, logger);
  await seedDatabase(deps.db, logger);
  await deps.close();
  const sql = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  // Idle connections die with the Postgres crash; the pool replaces them.
  sql.on('error', () => undefined);

  const common = {
    DATABASE_URL,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: `soak-${runId}`,
    LOG_LEVEL: 'warn',
    AI_PROVIDER: 'kb',
    JOB_LOCK_MS: '3000',
    SWEEP_INTERVAL_MS: '3000',
    WORKER_CONCURRENCY: '5',
    DELIVERY_RETRY_DELAY_MS: '500',
    RATE_LIMIT_PER_MINUTE: '100000',
    SHUTDOWN_TIMEOUT_MS: '5000',
  };
  const slots: Slot[] = [];
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    slots.push({ name: `api-${i + 1}`, env: { ...common, ROLE: 'api', PORT: String(port) }, port, proc: undefined as unknown as Proc });
  }
  for (let i = 0; i < 2; i++) slots.push({ name: `worker-${i + 1}`, env: { ...common, ROLE: 'worker', LOG_LEVEL: 'info' }, proc: undefined as unknown as Proc });
  const bases = slots.filter((s) => s.port).map((s) => `http://127.0.0.1:${s.port}`);
  const anyBase = () => pick(bases);

  async function waitReady(slot: Slot): Promise<void> {
    // Generous: tsx compiles on start, and the machine is shared.
    const end = Date.now() + 120_000;
    while (Date.now() < end) {
      if (slot.port) {
        if ((await call(`http://127.0.0.1:${slot.port}`, ADMIN_KEY, 'GET', '/healthz')).status === 200) return;
      } else if (slot.proc.output().includes('handoff workers running')) return;
      if (slot.proc.child.exitCode !== null) break;
      await sleep(100);
    }
    throw new Error(`${slot.name} did not start:\n${slot.proc.output().slice(-2000)}`);
  }
  const start = async (slot: Slot) => {
    for (let attempt = 1; ; attempt++) {
      slot.proc = startHandoff({ ...slot.env, REDIS_URL: redis.url });
      try {
        return await waitReady(slot);
      } catch (err) {
        slot.proc.child.kill('SIGKILL');
        await slot.proc.exited;
        if (attempt === 3) throw err;
      }
    }
  };
  await Promise.all(slots.map(start));

  // Keys and agents through the admin API, as an operator would.
  const admin = (method: string, path: string, body?: unknown) => call(anyBase(), ADMIN_KEY, method, path, body);
  const hook = await admin('POST', '/v1/api-keys', { name: `soak-${runId}`, role: 'webhook', source });
  if (hook.status !== 201) throw new Error(`webhook key: ${hook.status} ${JSON.stringify(hook.body)}`);
  const webhookKey: string = hook.body.key;
  const agents: { id: string; key: string }[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const a = await admin('POST', '/v1/agents', { name: `Soak ${runId} ${i}`, email: `soak-${runId}-${i}@example.com`, skills: [], languages: ['en'], capacity: AGENT_CAPACITY });
    if (a.status !== 201) throw new Error(`agent: ${a.status} ${JSON.stringify(a.body)}`);
    const k = await admin('POST', '/v1/api-keys', { name: `soak-${runId}-agent-${i}`, role: 'agent', agentId: a.body.id });
    if (k.status !== 201) throw new Error(`agent key: ${k.status} ${JSON.stringify(k.body)}`);
    const p = await call(anyBase(), k.body.key, 'PATCH', `/v1/agents/${a.body.id}`, { status: 'available' });
    if (p.status !== 200) throw new Error(`agent status: ${p.status} ${JSON.stringify(p.body)}`);
    agents.push({ id: a.body.id, key: k.body.key });
  }

  const counts = {
    posted: 0, acknowledged: 0, created: 0, duplicatesSent: 0, duplicateAcks: 0, retries: 0, unacknowledged: 0,
    followUps: 0, followUpsAcked: 0, claims: 0, replies: 0, resolves: 0, kills: 0, restarts: 0, redisRestarts: 0, postgresRestarts: 0,
  };
  const violations: string[] = [];
  const acked = new Map<string, string>(); // externalId → ticket id
  const ackedList: { externalId: string; body: any }[] = [];
  const holder = new Map<string, string>(); // ticket id → agent id holding it, as the agents' tools saw it
  let loadOn = true;

  /** A helpdesk re-posts until it gets a 2xx, alternating API instances with growing pauses, like a retrying webhook sender. */
  async function deliver(ticket: any): Promise<Res | null> {
    const first = Math.floor(Math.random() * bases.length);
    for (let attempt = 0; attempt < DELIVERY_ATTEMPTS; attempt++) {
      if (attempt > 0) counts.retries++;
      const res = await call(bases[(first + attempt) % bases.length]!, webhookKey, 'POST', '/v1/tickets', ticket);
      if (res.status === 200 || res.status === 202) return res;
      await sleep(Math.min(250 * 2 ** attempt, 3_000));
    }
    return null;
  }

  async function customer(): Promise<void> {
    while (loadOn) {
      const r = Math.random();
      if (r < 0.1 && ackedList.length > 0) {
        // A redelivery of something already acknowledged, to both APIs at once.
        const prev = pick(ackedList);
        counts.duplicatesSent += bases.length;
        const out = await Promise.all(bases.map((b) => call(b, webhookKey, 'POST', '/v1/tickets', prev.body)));
        for (const o of out) {
          if (o.status === 200) counts.duplicateAcks++;
          else if (o.status === 202) violations.push(`redelivery of ${prev.externalId} answered 202 (created again)`);
          if (o.body?.id && o.body.id !== acked.get(prev.externalId)) violations.push(`redelivery of ${prev.externalId} answered another ticket id`);
        }
      } else if (r < 0.2 && ackedList.length > 0) {
        const prev = pick(ackedList);
        counts.followUps++;
        const res = await call(anyBase(), webhookKey, 'POST', `/v1/tickets/${acked.get(prev.externalId)}/messages`, { body: pick(FOLLOW_UPS) });
        if (res.status >= 200 && res.status < 300) counts.followUpsAcked++;
      } else {
        const body = {
          source,
          externalId: randomUUID(),
          channel: 'email',
          subject: 'Question',
          body: r < 0.6 ? pick(ROUTINE) : pick(HUMAN),
          customer: { externalId: `cust-${randomUUID()}`, email: 'soak@example.com', name: 'Soak Customer', locale: 'en', tier: 'standard' },
          callbackUrl: `${callbacks.url}/hooks`,
        };
        counts.posted++;
        const res = await deliver(body);
        if (!res) {
          counts.unacknowledged++;
          continue;
        }
        counts.acknowledged++;
        if (res.status === 202) counts.created++;
        acked.set(body.externalId, res.body.id);
        ackedList.push({ externalId: body.externalId, body });
      }
      await sleep(20);
    }
  }

  /** Replies to and resolves one held ticket; false when a call got no answer (a killed API), to try again later. */
  async function work(a: { id: string; key: string }, id: string): Promise<boolean> {
    await sleep(50 + Math.random() * 200);
    const reply = await call(anyBase(), a.key, 'POST', `/v1/tickets/${id}/replies`, { body: 'Thanks for waiting, I have sorted this out for you.' });
    if (reply.status === 201) counts.replies++;
    else if (reply.status === 0 || reply.status >= 500) return false;
    const resolve = await call(anyBase(), a.key, 'POST', `/v1/tickets/${id}/resolve`);
    if (resolve.status === 200) counts.resolves++;
    return resolve.status !== 0 && resolve.status < 500;
  }

  async function agent(a: { id: string; key: string }): Promise<void> {
    while (loadOn) {
      // Like an agent's tool after a lost answer: first finish whatever the server says this agent holds.
      const held = await call(anyBase(), a.key, 'GET', `/v1/agents/${a.id}/assignments`);
      for (const t of held.status === 200 ? (held.body.items as { id: string }[]) : []) {
        if (!loadOn) break;
        holder.set(t.id, a.id);
        if (await work(a, t.id)) holder.delete(t.id);
      }
      const res = await call(anyBase(), a.key, 'POST', `/v1/agents/${a.id}/claim`);
      if (res.status !== 200) {
        await sleep(300);
        continue;
      }
      counts.claims++;
      const id: string = res.body.ticket.id;
      const other = holder.get(id);
      if (other && other !== a.id) violations.push(`ticket ${id} claimed by ${a.id} while ${other} held it`);
      holder.set(id, a.id);
      if (await work(a, id)) holder.delete(id);
    }
  }

  async function chaos(): Promise<void> {
    const redisAt = Date.now() + (SOAK_SECONDS * 1000) / 2;
    const postgresAt = Date.now() + (SOAK_SECONDS * 1000 * 3) / 4;
    let redisDone = false;
    let postgresDone = false;
    while (loadOn) {
      await sleep(4_000 + Math.random() * 8_000);
      if (!loadOn) break;
      if (!redisDone && Date.now() >= redisAt) {
        redisDone = true;
        const port = redis.port;
        await redis.stop();
        counts.kills++;
        console.log(`[${((Date.now() - started) / 1000).toFixed(0)} s] SIGKILL redis`);
        await sleep(2_000);
        redis = await startRedis(port);
        counts.redisRestarts++;
        counts.restarts++;
        continue;
      }
      if (!postgresDone && Date.now() >= postgresAt) {
        postgresDone = true;
        await postgres.crash();
        counts.kills++;
        console.log(`[${((Date.now() - started) / 1000).toFixed(0)} s] crash postgres (pg_ctl stop -m immediate)`);
        await sleep(POSTGRES_DOWN_MS);
        await postgres.start();
        counts.postgresRestarts++;
        counts.restarts++;
        continue;
      }
      const slot = pick(slots);
      slot.proc.child.kill('SIGKILL');
      await slot.proc.exited;
      counts.kills++;
      console.log(`[${((Date.now() - started) / 1000).toFixed(0)} s] SIGKILL ${slot.name}`);
      await sleep(500 + Math.random() * 2_500);
      await start(slot);
      counts.restarts++;
    }
  }

  console.log(`soak ${runId}: ${SOAK_SECONDS} s of load on ${slots.map((s) => s.name).join(', ')}, Redis ${redis.url}, ${DATABASE_URL}`);
  const loops = [...Array.from({ length: CUSTOMERS }, customer), ...agents.map(agent), chaos()];
  const capacityWatch = setInterval(async () => {
    const { rows } = await sql.query<{ id: string; capacity: number; held: number }>(
      `SELECT a.id, a.capacity, count(t.id)::int AS held FROM agents a JOIN tickets t ON t.assigned_agent_id = a.id AND t.status = 'assigned'
       WHERE a.name LIKE $1 GROUP BY a.id, a.capacity HAVING count(t.id) > a.capacity`,
      [`Soak ${runId} %`],
    ).catch(() => ({ rows: [] }));
    for (const r of rows) violations.push(`agent ${r.id} held ${r.held} tickets over capacity ${r.capacity}`);
  }, 2_000);
  await sleep(SOAK_SECONDS * 1000);
  loadOn = false;
  await Promise.all(loops);
  clearInterval(capacityWatch);
  for (const slot of slots) {
    if (slot.proc.child.exitCode !== null || slot.proc.child.signalCode !== null) await start(slot);
  }
  console.log(`[${((Date.now() - started) / 1000).toFixed(0)} s] load stopped; waiting for quiescence`);

  // Quiescence: nothing waiting for the AI and no delivery still pending.
  const quietStart = Date.now();
  let quiet = false;
  while (Date.now() - quietStart < QUIESCENCE_TIMEOUT_MS) {
    const { rows } = await sql.query(
      `SELECT (SELECT count(*) FROM tickets WHERE source = $1 AND status = 'ai_queued')::int AS queued,
              (SELECT count(*) FROM deliveries d JOIN tickets t ON t.id = d.ticket_id WHERE t.source = $1 AND d.status = 'pending')::int AS pending`,
      [source],
    );
    if (rows[0].queued === 0 && rows[0].pending === 0) {
      quiet = true;
      break;
    }
    await sleep(1_000);
  }
  const quietSeconds = (Date.now() - quietStart) / 1000;
  if (!quiet) violations.push(`not quiescent after ${QUIESCENCE_TIMEOUT_MS / 1000} s`);

  // Reconciliation.
  const ackedIds = [...acked.keys()];
  const stored = await sql.query(`SELECT external_id, count(*)::int AS n FROM tickets WHERE source = $1 GROUP BY external_id`, [source]);
  const storedBy = new Map<string, number>(stored.rows.map((r) => [r.external_id, r.n]));
  const missing = ackedIds.filter((x) => !storedBy.has(x));
  const doubled = [...storedBy.entries()].filter(([, n]) => n > 1);
  const storedNotAcked = [...storedBy.keys()].filter((x) => !acked.has(x)).length;
  if (missing.length) violations.push(`${missing.length} acknowledged tickets not stored (e.g. ${missing[0]})`);
  if (doubled.length) violations.push(`${doubled.length} (source, externalId) stored more than once`);

  const [checks] = (
    await sql.query(
      `WITH t AS (SELECT * FROM tickets WHERE source = $1),
       m AS (SELECT t.id, t.ai_turns, count(m.id) FILTER (WHERE m.author = 'ai' AND NOT m.internal)::int AS ai FROM t LEFT JOIN messages m ON m.ticket_id = t.id GROUP BY t.id, t.ai_turns),
       d AS (SELECT t.id, count(d.id) FILTER (WHERE d.trigger = 'intake')::int AS n FROM t LEFT JOIN decisions d ON d.ticket_id = t.id GROUP BY t.id),
       dl AS (SELECT d.message_id, d.event, count(*)::int AS n FROM deliveries d JOIN t ON t.id = d.ticket_id GROUP BY d.message_id, d.event)
       SELECT
         (SELECT count(*) FROM t WHERE status = 'ai_queued')::int AS stuck,
         (SELECT count(*) FROM m WHERE ai <> ai_turns)::int AS ai_turn_mismatch,
         (SELECT count(*) FROM d WHERE n <> 1)::int AS bad_intake_decisions,
         (SELECT count(*) FROM dl WHERE n > 1)::int AS doubled_deliveries,
         (SELECT count(*) FROM deliveries d JOIN t ON t.id = d.ticket_id)::int AS deliveries,
         (SELECT count(*) FROM deliveries d JOIN t ON t.id = d.ticket_id WHERE d.status = 'failed')::int AS failed_deliveries,
         (SELECT count(*) FROM messages m JOIN t ON t.id = m.ticket_id WHERE m.author <> 'customer' AND NOT m.internal
            AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id))::int AS undelivered_messages,
         (SELECT count(*) FROM (SELECT a.id FROM agents a JOIN t ON t.assigned_agent_id = a.id AND t.status = 'assigned'
            GROUP BY a.id, a.capacity HAVING count(t.id) > a.capacity) x)::int AS agents_over_capacity,
         (SELECT count(*) FROM messages m JOIN t ON t.id = m.ticket_id WHERE m.author = 'ai' AND NOT m.internal)::int AS ai_messages,
         (SELECT count(*) FROM messages m JOIN agents a ON a.id = m.agent_id WHERE a.name LIKE $2)::int AS agent_messages`,
      [source, `Soak ${runId} %`],
    )
  ).rows;
  if (checks.stuck) violations.push(`${checks.stuck} tickets stuck in ai_queued`);
  if (checks.ai_turn_mismatch) violations.push(`${checks.ai_turn_mismatch} tickets whose sent AI messages differ from their AI turns`);
  if (checks.bad_intake_decisions) violations.push(`${checks.bad_intake_decisions} tickets without exactly one intake decision`);
  if (checks.doubled_deliveries) violations.push(`${checks.doubled_deliveries} messages with more than one delivery`);
  if (checks.undelivered_messages) violations.push(`${checks.undelivered_messages} sent messages without a delivery record`);
  if (checks.agents_over_capacity) violations.push(`${checks.agents_over_capacity} agents over capacity at the end`);
  const byStatus = (await sql.query(`SELECT status::text, count(*)::int AS n FROM tickets WHERE source = $1 GROUP BY status ORDER BY status`, [source])).rows;
  // At-least-once delivery: a worker killed between the helpdesk's 2xx and marking the row delivered re-sends it.
  const perMessage = new Map<string, number>();
  for (const r of callbacks.received) if (r.json?.message?.id) perMessage.set(r.json.message.id, (perMessage.get(r.json.message.id) ?? 0) + 1);
  const resent = [...perMessage.values()].filter((n) => n > 1).length;

  const rows: [string, string | number][] = [
    ['machine', `${os.cpus().length} × ${os.cpus()[0]?.model}, node ${process.version}`],
    ['load seconds / quiescence seconds', `${SOAK_SECONDS} / ${quietSeconds.toFixed(1)}`],
    ['processes', '2 api + 2 worker, private Redis, private Postgres cluster'],
    ['tickets posted (unique)', counts.posted],
    ['acknowledged 2xx (202 new / 200 after a retry)', `${counts.acknowledged} (${counts.created} / ${counts.acknowledged - counts.created})`],
    [`not acknowledged after ${DELIVERY_ATTEMPTS} attempts`, counts.unacknowledged],
    ['client retries (API killed, Redis or Postgres down)', counts.retries],
    ['redeliveries sent / answered 200', `${counts.duplicatesSent} / ${counts.duplicateAcks}`],
    ['follow-ups sent / acknowledged', `${counts.followUps} / ${counts.followUpsAcked}`],
    ['stored (distinct externalId)', storedBy.size],
    ['stored without an acknowledgement', storedNotAcked],
    ...byStatus.map((r): [string, number] => [`  status ${r.status}`, r.n]),
    ['AI messages sent / agent messages', `${checks.ai_messages} / ${checks.agent_messages}`],
    ['claims / replies / resolves', `${counts.claims} / ${counts.replies} / ${counts.resolves}`],
    ['deliveries (failed)', `${checks.deliveries} (${checks.failed_deliveries})`],
    ['callbacks received / messages received more than once', `${callbacks.received.length} / ${resent}`],
    ['kills (SIGKILL, incl. Redis and the Postgres crash) / restarts', `${counts.kills} / ${counts.restarts}`],
    ['Redis kill + restart', counts.redisRestarts],
    [`Postgres crash + restart (down ${POSTGRES_DOWN_MS / 1000} s)`, counts.postgresRestarts],
    ['violations', violations.length],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('\n| measure | value |\n|---|---|');
  for (const [k, v] of rows) console.log(`| ${k.padEnd(width)} | ${v} |`);
  for (const v of violations.slice(0, 20)) console.log(`VIOLATION: ${v}`);

  for (const slot of slots) {
    slot.proc.child.kill('SIGTERM');
    await Promise.race([slot.proc.exited, sleep(8_000)]);
    if (slot.proc.child.exitCode === null) slot.proc.child.kill('SIGKILL');
  }
  await sql.end();
  await callbacks.close();
  await redis.stop();
  await postgres.destroy();
  process.exit(violations.length ? 1 : 0);
}

void main().catch((err) => {
  console.error(err);
  process.exit(2);
});
