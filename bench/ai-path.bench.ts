/**
 * The AI path, end to end on this machine: `npx tsx bench/ai-path.bench.ts` (env BENCH_TICKETS, default
 * 400 per run; BENCH_CONCURRENCY, default 16 requests in flight; BENCH_WORKERS, default `0,1,2` worker processes
 * per run; BENCH_ROUNDS, default 1; WORKER_CONCURRENCY
 * passed to the workers; BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every worker process there;
 * BENCH_DATABASE_URL, default a local `handoff_bench_ai_path` database it drops and recreates).
 * 1. KB quality: the seed KB's own questions (bench/ai-questions.json) answered vs escalated, top
 *    article right or wrong, and off-topic questions wrongly answered, at AI_MIN_CONFIDENCE.
 * 2. Throughput: an API process (ROLE=api) and 0, 1 or 2 worker processes (ROLE=worker), started with
 *    `node --import tsx src/main.ts` as in production; this process posts the seed questions over a
 *    keep-alive connection pool at a steady concurrency and receives every delivery on a loopback
 *    callback. "intake alone" (no workers) is the same-run baseline: what the API takes per ticket,
 *    so the ratio shows what the AI path adds. Each run has its own queue prefix, removed at the end.
 */
import http from 'node:http';
import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';
import pg from 'pg';
import { loadConfig } from '../src/shared/config';
import { createLogger } from '../src/shared/logger';
import { createDeps } from '../src/shared/runtime';
import { setupDatabase } from '../src/shared/db/setup-database';
import { seedDatabase } from '../src/shared/db/seed';
import { createKbProvider } from '../src/modules/ai';
import { freePort } from '../test/support/processes';
import { recreateDatabase } from './bench-database';
import { cpuMs, cpuMsByPid, cpuMsSince } from './process-cpu';
import questions from './ai-questions.json';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? '0,1,2').split(',').map(Number);
const DB = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/handoff_bench_ai_path';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN = 'hk_admin_bench_key_0123456789abcdef';
const PII_KEY = Buffer.alloc(32, 9).toString('base64');
const AUTO_EXPLAIN = '-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0 -c auto_explain.log_analyze=on -c auto_explain.log_nested_statements=on';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU so far of the Postgres backends serving this database, by pid (the bench's own connections left out). */
async function postgresCpu(db: pg.Pool): Promise<Map<number, number>> {
  const { rows } = await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name <> 'ai-path-bench'`);
  return cpuMsByPid(rows.map((r) => r.pid));
}

function startHandoff(role: 'api' | 'worker', queuePrefix: string, port: number, profileDir?: string): ChildProcess {
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return spawn(process.execPath, [...execArgv, '--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      ROLE: role,
      PORT: String(port),
      DATABASE_URL: role === 'worker' && process.env.BENCH_AUTO_EXPLAIN ? `${DB}?options=${encodeURIComponent(AUTO_EXPLAIN)}` : DB,
      DB_AUTO_MIGRATE: 'false',
      ADMIN_API_KEY: ADMIN,
      PII_ENCRYPTION_KEY: PII_KEY,
      QUEUE_PREFIX: queuePrefix,
      RATE_LIMIT_PER_MINUTE: '100000000',
      CALLBACK_ALLOWED_HOSTS: '127.0.0.1',
      // The bench's own tickets must not be swept into another run's queues.
      SWEEP_INTERVAL_MS: '600000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function removeQueueKeys(prefix: string): Promise<void> {
  const redis = new IORedis(REDIS);
  for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 })) {
    if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
  }
  redis.disconnect();
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

interface RunResult {
  workers: number;
  tickets: number;
  postMs: number;
  totalMs: number;
  ticketsPerS: number;
  p50: number;
  p99: number;
  answered: number;
  escalated: number;
  callbacks: number;
  duplicates: number;
  apiCpuMsPerTicket: number;
  workerCpuMsPerTicket: number;
  postgresCpuMsPerTicket: number;
}

/**
 * One run: a fresh API process and `workers` worker processes on a new queue prefix. With workers, it
 * ends when every ticket left ai_queued and no delivery of its tickets is pending; the latency is
 * post → first callback of the ticket. Without, it ends with the last 201, latency is the POST's.
 */
async function run(workers: number, db: pg.Pool, callbacks: Map<string, number[]>, callbackUrl: string, profileDir?: string): Promise<RunResult> {
  const prefix = `bench-ai-${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  const api = startHandoff('api', prefix, port);
  const workerProcs = Array.from({ length: workers }, () => startHandoff('worker', prefix, 0, profileDir));
  const url = `http://127.0.0.1:${port}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    for (let i = 0; ; i++) {
      if (api.exitCode !== null || workerProcs.some((w) => w.exitCode !== null)) throw new Error('handoff exited during start-up');
      if ((await fetch(`${url}/readyz`).catch(() => undefined))?.ok) break;
      if (i > 600) throw new Error('handoff did not become ready');
      await sleep(100);
    }
    // Worker processes have no readiness endpoint: give them the API's start-up time and some.
    await sleep(workers > 0 ? 3_000 : 500);
    const pids = [api.pid!, ...workerProcs.map((w) => w.pid!)];
    const cpuBefore = pids.map(cpuMs);
    const pgBefore = await postgresCpu(db);

    // Customers new to this run: ones seen in an earlier run would count as repeat contacts and go to a person.
    const run = randomUUID().slice(0, 8);
    const postedAt = new Map<string, number>();
    const postLatency: number[] = [];
    let next = 0;
    const started = performance.now();
    const post = (i: number) =>
      new Promise<string>((resolve, reject) => {
        const q = questions.onTopic[i % questions.onTopic.length];
        const body = JSON.stringify({
          source: 'bench', externalId: randomUUID(), subject: 'Question', body: q.question,
          customer: { externalId: `c-${run}-${i}`, locale: q.language }, callbackUrl,
        });
        const t0 = performance.now();
        const req = http.request(`${url}/v1/tickets`, { method: 'POST', agent, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode !== 201 && res.statusCode !== 202) return reject(new Error(`POST answered ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 200)}`));
            postLatency.push(performance.now() - t0);
            const id = (JSON.parse(Buffer.concat(chunks).toString()) as { id: string }).id;
            postedAt.set(id, t0);
            resolve(id);
          });
        });
        req.on('error', reject);
        req.end(body);
      });
    const ids: string[] = [];
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < TICKETS) ids.push(await post(next++));
    }));
    const posted = performance.now();

    let last = posted;
    if (workers > 0) {
      const deadline = Date.now() + 300_000;
      for (;;) {
        const { rows } = await db.query(
          `SELECT (SELECT count(*) FROM tickets WHERE id = ANY($1::uuid[]) AND status = 'ai_queued')::int AS queued,
                  (SELECT count(*) FROM deliveries WHERE ticket_id = ANY($1::uuid[]) AND status = 'pending')::int AS pending`,
          [ids],
        );
        if (rows[0].queued === 0 && rows[0].pending === 0) break;
        if (Date.now() > deadline) throw new Error(`not settled after 5 minutes: ${JSON.stringify(rows[0])}`);
        await sleep(20);
      }
      last = Math.max(posted, ...ids.flatMap((id) => callbacks.get(id)?.slice(0, 1) ?? []));
    }
    const cpuAfter = pids.map(cpuMs);
    const pgAfter = await postgresCpu(db);
    // A backend that started during the run counts from zero; one that ended is lost (pools keep theirs while busy).
    const pgCpu = cpuMsSince(pgBefore, pgAfter);
    const cpu = cpuAfter.map((c, i) => c - cpuBefore[i]);

    const latency = (workers > 0 ? ids.flatMap((id) => (callbacks.has(id) ? [callbacks.get(id)![0] - postedAt.get(id)!] : [])) : postLatency).sort((a, b) => a - b);
    const { rows: statuses } = await db.query(`SELECT status, count(*)::int AS n FROM tickets WHERE id = ANY($1::uuid[]) GROUP BY status`, [ids]);
    const count = (s: string) => statuses.find((r) => r.status === s)?.n ?? 0;
    return {
      workers,
      tickets: ids.length,
      postMs: Math.round(posted - started),
      totalMs: Math.round(last - started),
      ticketsPerS: Number((ids.length / ((last - started) / 1000)).toFixed(1)),
      p50: Math.round(percentile(latency, 50)),
      p99: Math.round(percentile(latency, 99)),
      answered: count('ai_answered'),
      escalated: count('human_queued'),
      callbacks: ids.reduce((n, id) => n + (callbacks.get(id)?.length ?? 0), 0),
      duplicates: ids.reduce((n, id) => n + Math.max(0, (callbacks.get(id)?.length ?? 0) - 1), 0),
      apiCpuMsPerTicket: Number((cpu[0] / ids.length).toFixed(2)),
      workerCpuMsPerTicket: Number((cpu.slice(1).reduce((a, b) => a + b, 0) / ids.length).toFixed(2)),
      postgresCpuMsPerTicket: Number((pgCpu / ids.length).toFixed(2)),
    };
  } finally {
    agent.destroy();
    await Promise.all([api, ...workerProcs].map(stop));
    await removeQueueKeys(prefix);
  }
}

async function main(): Promise<void> {
  await recreateDatabase(DB);
  await setupDatabase(DB, createLogger('silent'));
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: DB, ADMIN_API_KEY: ADMIN, PII_ENCRYPTION_KEY: PII_KEY, QUEUE_PREFIX: `bench-${randomUUID()}`, LOG_LEVEL: 'silent' });
  const deps = createDeps(config, createLogger('silent'));
  await seedDatabase(deps.db, deps.logger);

  // 1. Quality of the kb provider on its own questions and on off-topic ones.
  const kb = createKbProvider(deps.pool);
  const min = config.ai.minConfidence;
  let answered = 0, right = 0, offAnswered = 0;
  for (const q of questions.onTopic) {
    const a = await kb.answer(q.question, { language: q.language, history: [] });
    if (a.confidence >= min) {
      answered++;
      if (a.sources[0]?.slug === q.slug) right++;
    }
  }
  for (const q of questions.offTopic) if ((await kb.answer(q.question, { language: q.language, history: [] })).confidence >= min) offAnswered++;
  const on = questions.onTopic.length, off = questions.offTopic.length;
  console.log(`kb quality at threshold ${min}: on-topic ${answered}/${on} answered (${pct(answered, on)}), ${on - answered} escalated; top article right in ${right}/${answered} answered; off-topic wrongly answered ${offAnswered}/${off} (${pct(offAnswered, off)})`);
  await deps.close();

  // 2. Throughput end to end, the delivery callbacks received here.
  const callbacks = new Map<string, number[]>();
  const callback = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const { ticketId } = JSON.parse(Buffer.concat(chunks).toString()) as { ticketId: string };
      callbacks.set(ticketId, [...(callbacks.get(ticketId) ?? []), at]);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => callback.listen(0, '127.0.0.1', () => r()));
  const callbackUrl = `http://127.0.0.1:${(callback.address() as net.AddressInfo).port}/hook`;
  const db = new pg.Pool({ connectionString: DB, max: 2, application_name: 'ai-path-bench' });
  const results: RunResult[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const workers of WORKER_COUNTS) {
        const r = await run(workers, db, callbacks, callbackUrl, process.env.BENCH_CPU_PROF);
        console.log(JSON.stringify(r));
        results.push(r);
      }
    }
  } finally {
    callback.close();
    await db.end();
  }
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`\n${TICKETS} tickets per run, ${CONCURRENCY} in flight, WORKER_CONCURRENCY=${process.env.WORKER_CONCURRENCY ?? 'default'}, node ${process.version}, ${new Date().toISOString()}, load ${load}`);
  console.table(results.map((r) => {
    // The intake-alone run of the same round.
    const base = results.slice(0, results.indexOf(r) + 1).reverse().find((b) => b.workers === 0);
    return {
      'worker processes': r.workers || 'none (intake alone)',
      'tickets/s': r.ticketsPerS,
      'vs intake alone': base ? Number((r.ticketsPerS / base.ticketsPerS).toFixed(2)) : '-',
      'p50 ms': r.p50,
      'p99 ms': r.p99,
      answered: r.answered,
      escalated: r.escalated,
      callbacks: r.callbacks,
      duplicates: r.duplicates,
      'API CPU ms/ticket': r.apiCpuMsPerTicket,
      'worker CPU ms/ticket': r.workerCpuMsPerTicket,
      'Postgres CPU ms/ticket': r.postgresCpuMsPerTicket,
    };
  }));
}

const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)}%`;

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
