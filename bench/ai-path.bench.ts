/**
 * The AI path, end to end on this machine: `npx tsx bench/ai-path.bench.ts` (env BENCH_TICKETS,
 * default 300; BENCH_DATABASE_URL, default a local `handoff_bench_ai` database it creates).
 * 1. KB quality: the seed KB's own questions (bench/ai-questions.json) answered vs escalated, top
 *    article right or wrong, and off-topic questions wrongly answered, at AI_MIN_CONFIDENCE.
 * 2. Throughput: tickets posted over HTTP to an in-process API with the ai and delivery workers,
 *    until every one is answered or escalated and every delivery reached a loopback callback.
 * Loopback only, bounded, and it cleans up its queues.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/shared/config';
import { createLogger } from '../src/shared/logger';
import { createDeps } from '../src/shared/runtime';
import { setupDatabase } from '../src/shared/db/setup-database';
import { seedDatabase } from '../src/shared/db/seed';
import { createKbProvider } from '../src/modules/ai';
import { startWorkers } from '../src/workers';
import questions from './ai-questions.json';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 300);
const DB = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/handoff_bench_ai';
const ADMIN = 'hk_admin_bench_key_0123456789abcdef';

async function main(): Promise<void> {
  await setupDatabase(DB, createLogger('silent'));
  const config = loadConfig({
    NODE_ENV: 'test', DATABASE_URL: DB, ADMIN_API_KEY: ADMIN, PII_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    QUEUE_PREFIX: `bench-${randomUUID()}`, LOG_LEVEL: 'silent', CALLBACK_ALLOWED_HOSTS: '127.0.0.1', SWEEP_INTERVAL_MS: '60000',
    ...(process.env.WORKER_CONCURRENCY ? { WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY } : {}),
  });
  const deps = createDeps(config, createLogger('silent'));
  await seedDatabase(deps.db, deps.logger);

  // 1. Quality of the kb provider on its own questions and on off-topic ones.
  const kb = createKbProvider(deps.db);
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

  // 2. Throughput end to end.
  let delivered = 0;
  const callback = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      delivered++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => callback.listen(0, '127.0.0.1', () => r()));
  const cbUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/hook`;
  const server = buildApp(deps).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const workers = await startWorkers(deps);

  const ids: string[] = [];
  const started = Date.now();
  for (let i = 0; i < TICKETS; i += 20) {
    const batch = Array.from({ length: Math.min(20, TICKETS - i) }, (_, k) => {
      const q = questions.onTopic[(i + k) % questions.onTopic.length];
      return fetch(`${api}/v1/tickets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'bench', externalId: randomUUID(), subject: 'Question', body: q.question, customer: { externalId: `c-${randomUUID()}`, locale: q.language }, callbackUrl: cbUrl }),
      }).then(async (r) => ids.push(((await r.json()) as { id: string }).id));
    });
    await Promise.all(batch);
  }
  const posted = Date.now();
  let settled = 0;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    settled = await deps.db.ticket.count({ where: { id: { in: ids }, status: { not: 'ai_queued' } } });
    const pending = await deps.db.delivery.count({ where: { ticketId: { in: ids }, status: 'pending' } });
    if (settled === ids.length && pending === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const done = Date.now();
  const byStatus = await deps.db.ticket.groupBy({ by: ['status'], where: { id: { in: ids } }, _count: { _all: true } });
  console.log(`throughput: ${ids.length} tickets posted in ${posted - started} ms, all settled and delivered after ${done - started} ms: ${(ids.length / ((done - started) / 1000)).toFixed(1)} tickets/s end to end (WORKER_CONCURRENCY=${config.workerConcurrency}); ${delivered} callbacks received; statuses ${byStatus.map((s) => `${s.status}=${s._count._all}`).join(' ')}`);

  await workers.close();
  server.close();
  callback.close();
  await Promise.all([deps.queues.aiAnswer, deps.queues.delivery].map((q) => q.obliterate({ force: true }).catch(() => undefined)));
  await deps.close();
}

const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)}%`;

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
