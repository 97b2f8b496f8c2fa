/**
 * Memory of one ROLE=all process (API and workers) while it takes 100,000 tickets over HTTP:
 * resident set size and V8 heap at every tenth, to show whether anything grows with the number of
 * tickets seen, each reading after a full garbage collection. `npm run bench:memory` (env BENCH_TICKETS, default 100000; BENCH_DATABASE_URL,
 * default a `handoff_bench_memory` database that is dropped and recreated).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';
import { freePort } from '../test/support/processes';
import { recreateDatabase } from './bench-database';
import { startLoadGenerator, type LoadResult } from './load';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const STEPS = 10;
const CONNECTIONS = 50;
const ADMIN = 'hk_admin_bench_key_0123456789abcdef';
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/handoff_bench_memory';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A full garbage collection in the server, through its inspector (HeapProfiler.collectGarbage), so
 * each reading is the live set rather than whatever garbage the collector has not reached yet.
 */
async function collectGarbage(inspectorPort: number): Promise<void> {
  const [target] = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    socket.onopen = () => socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
    socket.onmessage = (event) => {
      if ((JSON.parse(String(event.data)) as { id?: number }).id === 1) resolve();
    };
    socket.onerror = () => reject(new Error('inspector connection failed'));
  });
  socket.close();
}

/** Resident set size from the kernel, and the V8 heap as the process's own /metrics reports it. */
async function sample(pid: number, url: string): Promise<{ rssMb: number; heapUsedMb: number }> {
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const heapUsed = Number(/^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m.exec(metrics)?.[1] ?? NaN);
  return { rssMb: rssKb / 1024, heapUsedMb: heapUsed / 2 ** 20 };
}

/** The run's jobs (most AI jobs are still waiting when it ends) are removed with it. */
async function removeQueueKeys(prefix: string): Promise<void> {
  const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 })) {
    if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
  }
  redis.disconnect();
}

async function main(): Promise<void> {
  const queuePrefix = `bench-memory-${randomUUID().slice(0, 8)}`;
  await recreateDatabase(DATABASE_URL);
  const port = await freePort();
  const inspectorPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [`--inspect=127.0.0.1:${inspectorPort}`, '--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      ROLE: 'all',
      PORT: String(port),
      DATABASE_URL,
      DB_AUTO_MIGRATE: 'true',
      ADMIN_API_KEY: ADMIN,
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      QUEUE_PREFIX: queuePrefix,
      RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: 'info',
      METRICS_ENABLED: 'true',
    },
    // Request logs are written as in production, to nowhere.
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error('handoff exited during start-up');
      if ((await fetch(`${url}/readyz`).catch(() => undefined))?.ok) break;
      if (i > 600) throw new Error('handoff did not become ready');
      await sleep(100);
    }
    const rows: Record<string, Record<string, number | string>> = {};
    const record = async (label: string, posted: number, load?: LoadResult) => {
      // Jobs enqueued by the last step are still being answered; let the workers settle first.
      await sleep(2_000);
      await collectGarbage(inspectorPort);
      const reading = await sample(child.pid!, url);
      rows[label] = {
        tickets: posted,
        'RSS MB': Math.round(reading.rssMb),
        'heap used MB': Math.round(reading.heapUsedMb),
        ...(load ? { 'req/s': Math.round(load.rps), 'p99 ms': load.p99, errors: load.errors + load.non2xx } : {}),
      };
      console.log(label, JSON.stringify(rows[label]));
    };
    await record('started', 0);
    const generator = startLoadGenerator();
    const step = Math.ceil(TICKETS / STEPS);
    for (let s = 1; s <= STEPS; s++) {
      const result = await generator.run({ url: `${url}/v1/tickets`, headers: { authorization: `Bearer ${ADMIN}` }, connections: Math.min(CONNECTIONS, step), amount: step, firstTicket: (s - 1) * step });
      await record(`after ${s * step}`, s * step, result);
    }
    generator.stop();
    console.log(`\nOne ROLE=all process, ${TICKETS} tickets over HTTP (${CONNECTIONS} connections), node ${process.version}, ${new Date().toISOString()}`);
    console.table(rows);
    const half = rows[`after ${Math.ceil(STEPS / 2) * step}`];
    const last = rows[`after ${STEPS * step}`];
    console.log(`RSS from the ${half.tickets}th to the ${last.tickets}th ticket: ${Number(last['RSS MB']) - Number(half['RSS MB'])} MB; heap used: ${Number(last['heap used MB']) - Number(half['heap used MB'])} MB`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await removeQueueKeys(queuePrefix);
  }
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
