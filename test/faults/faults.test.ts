import { apiClient } from '../support/api-client';
import { buildTicket } from '../support/factories';
import { eventually, startLocalServer } from '../support/local-server';
import { freePort, startHandoff, startRedis, waitForOutput, type Proc } from '../support/processes';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';

// Real processes are killed and restarted here; each scenario prints what it injected and counted.
jest.setTimeout(120_000);

const completion = (content: string) => ({ choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] });
const GOOD_ANSWER = completion(JSON.stringify({ answer: 'You can track your parcel from the Orders page.', confidence: 0.95, sources: [] }));

async function aiMessages(app: TestApp, ticketId: string) {
  return app.deps.db.message.count({ where: { ticketId, author: 'ai', internal: false } });
}

describe('faults', () => {
  const procs: Proc[] = [];
  afterEach(async () => {
    for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  });

  test('when a worker is SIGKILLed in the middle of an AI answer, then another worker answers it exactly once', async () => {
    const provider = await startLocalServer(() => ({ status: 200, body: GOOD_ANSWER, delayMs: 60_000 }));
    const app = await startApp();
    const workerEnv = {
      ROLE: 'worker',
      QUEUE_PREFIX: app.config.queuePrefix,
      AI_PROVIDER: 'openai',
      OPENAI_BASE_URL: provider.url,
      OPENAI_API_KEY: 'test',
      OPENAI_TIMEOUT_MS: '90000',
      JOB_LOCK_MS: '2000',
    };
    try {
      const first = startHandoff(workerEnv);
      procs.push(first);
      await waitForOutput(first, 'handoff workers running');
      const posted = await apiClient(app.url, ADMIN_KEY).post('/v1/tickets', buildTicket({ body: 'Where can I see the status of my order?' }));
      expect(posted.body.route).toBe('ai');
      await eventually(async () => provider.received.length >= 1);
      first.child.kill('SIGKILL');
      await first.exited;

      provider.setResponder(() => ({ status: 200, body: GOOD_ANSWER }));
      const second = startHandoff(workerEnv);
      procs.push(second);
      const answered = await eventually(async () => {
        const t = await app.deps.db.ticket.findUnique({ where: { id: posted.body.id } });
        return t?.status === 'ai_answered' ? t : null;
      }, 60_000);
      await new Promise((r) => setTimeout(r, 3_000));
      const count = await aiMessages(app, posted.body.id);
      console.log(`[worker SIGKILL] injected: SIGKILL during provider call; provider calls: ${provider.received.length}, AI messages: ${count}, status: ${answered.status}, aiTurns: ${answered.aiTurns}`);
      expect(count).toBe(1);
      expect(answered.aiTurns).toBe(1);
    } finally {
      await app.close();
      await provider.close();
    }
  });

  test('when Redis restarts and loses every queued job, then each ai_queued ticket is re-enqueued from Postgres and answered once', async () => {
    const redis = await startRedis();
    const app = await startApp({ REDIS_URL: redis.url });
    let restarted: Awaited<ReturnType<typeof startRedis>> | undefined;
    try {
      const client = apiClient(app.url, ADMIN_KEY);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await client.post('/v1/tickets', buildTicket({ body: 'How do I reset my password?' }));
        expect(res.body.status).toBe('ai_queued');
        ids.push(res.body.id);
      }
      const before = await app.deps.queues.aiAnswer.getJobCounts('waiting');
      await redis.stop();
      restarted = await startRedis(redis.port);
      await eventually(async () => app.deps.redis.status === 'ready');
      const after = await app.deps.queues.aiAnswer.getJobCounts('waiting');

      const worker = startHandoff({ ROLE: 'worker', REDIS_URL: restarted.url, QUEUE_PREFIX: app.config.queuePrefix, SWEEP_INTERVAL_MS: '1000' });
      procs.push(worker);
      await eventually(async () => {
        const n = await app.deps.db.ticket.count({ where: { id: { in: ids }, status: { not: 'ai_queued' } } });
        return n === ids.length;
      }, 60_000);
      await new Promise((r) => setTimeout(r, 2_000));
      const counts = await Promise.all(ids.map((id) => aiMessages(app, id)));
      const humans = await app.deps.db.ticket.count({ where: { id: { in: ids }, status: 'human_queued' } });
      console.log(`[redis restart] injected: Redis SIGKILL + restart with ${before.waiting} waiting jobs (after: ${after.waiting}); tickets: ${ids.length}, AI messages per ticket: ${counts.join(',')}, escalated: ${humans}`);
      for (const c of counts) expect(c).toBeLessThanOrEqual(1);
      expect(counts.filter((c) => c === 1).length + humans).toBe(ids.length);
    } finally {
      await app.close();
      await restarted?.stop();
    }
  });

  test('when an API-and-workers process gets SIGTERM, then in-flight work finishes and it exits 0 within the deadline', async () => {
    const port = await freePort();
    const proc = startHandoff({ ROLE: 'all', PORT: String(port), QUEUE_PREFIX: `faults-${port}`, SHUTDOWN_TIMEOUT_MS: '8000' });
    procs.push(proc);
    await waitForOutput(proc, 'handoff listening');
    const client = apiClient(`http://127.0.0.1:${port}`, ADMIN_KEY);
    const tickets = Array.from({ length: 20 }, () => buildTicket());
    const requests = tickets.map((t) => client.post('/v1/tickets', t));
    await Promise.race(requests);
    const started = Date.now();
    proc.child.kill('SIGTERM');
    const [settled, code] = await Promise.all([Promise.allSettled(requests), proc.exited]);
    const accepted = tickets.filter((_, i) => settled[i].status === 'fulfilled' && (settled[i] as PromiseFulfilledResult<{ status: number }>).value.status === 202);
    const check = await startApp();
    const stored = await check.deps.db.ticket.count({ where: { externalId: { in: accepted.map((t) => t.externalId) } } });
    await check.close();
    console.log(`[SIGTERM] injected: SIGTERM with ${tickets.length} requests in flight; accepted ${accepted.length}, stored ${stored}, exit code ${code} after ${Date.now() - started} ms`);
    expect(accepted.length).toBeGreaterThan(0);
    expect(stored).toBe(accepted.length);
    expect(code).toBe(0);
    expect(proc.output()).toContain('"msg":"stopped"');
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
