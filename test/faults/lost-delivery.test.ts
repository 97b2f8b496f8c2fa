import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { apiClient } from '../support/api-client';
import { buildTicket, createKey } from '../support/factories';
import { eventually, startLocalServer } from '../support/local-server';
import { freePort, startHandoff, startPostgres, startRedis, waitForOutput, type PrivatePostgres, type Proc } from '../support/processes';
import { ADMIN_KEY } from '../support/start-app';

// The processes that commit customer-visible messages die before they could enqueue a delivery.
jest.setTimeout(240_000);

const completion = (answer: string, confidence: number) => ({
  choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify({ answer, confidence, sources: [] }) }, finish_reason: 'stop' }],
});

/** An available agent (with its own key) holding a freshly posted human-routed ticket, through the API at `url`. */
async function agentWithTicket(url: string, callbackUrl: string) {
  const admin = apiClient(url, ADMIN_KEY);
  const created = await admin.post('/v1/agents', { name: 'Agent Faults', email: 'agent@example.com', skills: [], languages: ['en'], capacity: 3 });
  const agent = apiClient(url, await createKey(admin, { role: 'agent', agentId: created.body.id }));
  expect((await agent.patch(`/v1/agents/${created.body.id}`, { status: 'available' })).status).toBe(200);
  const human = await admin.post('/v1/tickets', buildTicket({ body: 'I want to talk to a human agent, not a bot.', callbackUrl }));
  expect(human.body.route).toBe('human');
  // Handed over by an admin rather than claimed: an earlier scenario's escalated ticket may be waiting too.
  expect((await admin.post(`/v1/tickets/${human.body.id}/transfer`, { agentId: created.body.id })).status).toBe(200);
  return { admin, agent, ticketId: human.body.id as string };
}

describe('lost deliveries', () => {
  let postgres: PrivatePostgres;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let db: pg.Pool;
  const procs: Proc[] = [];

  beforeAll(async () => {
    // A private cluster, so the delivery sweepers here see only this scenario's deliveries.
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    db = new pg.Pool({ connectionString: postgres.url('handoff'), max: 2 });
  });

  afterAll(async () => {
    for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await db?.end();
    await Promise.all([postgres?.destroy(), redis?.stop()]);
  });

  test('when the API and the worker die after committing an AI answer, an escalation notice and an agent reply but before enqueueing them, then each reaches the callback exactly once', async () => {
    const callback = await startLocalServer(() => ({ status: 204 }));
    // The provider holds both questions, then takes Redis down before answering: the worker commits
    // the answer and the escalation with their outbox rows, and its enqueue fails.
    let release!: () => void;
    const bothAsked = new Promise<void>((resolve) => (release = resolve));
    let redisStopped: Promise<void> | undefined;
    const provider = await startLocalServer(async (req) => {
      if (provider.received.length >= 2) release();
      await bothAsked;
      redisStopped ??= redis.stop();
      await redisStopped;
      return { status: 200, body: req.raw.includes('invoice') ? completion('Maybe check the billing page?', 0.2) : completion('You can reset it from the login page.', 0.95) };
    });
    try {
      const port = await freePort();
      const common = { DATABASE_URL: postgres.url('handoff'), REDIS_URL: redis.url, QUEUE_PREFIX: `lost-${randomUUID()}`, SWEEP_INTERVAL_MS: '1000' };
      const api = startHandoff({ ...common, ROLE: 'api', PORT: String(port), DB_AUTO_MIGRATE: 'true' });
      procs.push(api);
      await waitForOutput(api, 'handoff listening', 90_000);
      const worker = startHandoff({ ...common, ROLE: 'worker', AI_PROVIDER: 'openai', OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: 'test', WORKER_CONCURRENCY: '4' });
      procs.push(worker);
      await waitForOutput(worker, 'handoff workers running', 60_000);

      const hooks = `${callback.url}/hooks`;
      const { admin, agent, ticketId: humanId } = await agentWithTicket(`http://127.0.0.1:${port}`, hooks);

      const answered = await admin.post('/v1/tickets', buildTicket({ body: 'How do I reset my password?', callbackUrl: hooks }));
      const escalated = await admin.post('/v1/tickets', buildTicket({ body: 'How do I download my invoice?', callbackUrl: hooks }));
      expect([answered.body.route, escalated.body.route]).toEqual(['ai', 'ai']);
      const status = async (id: string) => (await db.query('SELECT status FROM tickets WHERE id = $1', [id])).rows[0].status;
      await eventually(async () => (await status(answered.body.id)) === 'ai_answered' && (await status(escalated.body.id)) === 'human_queued', 60_000, 200);
      // Redis is down now: the reply commits, its enqueue times out.
      const reply = await agent.post(`/v1/tickets/${humanId}/replies`, { body: 'Hello, a person here: I have refunded the second charge.' });
      expect(reply.status).toBe(201);

      for (const p of [api, worker]) p.child.kill('SIGKILL');
      await Promise.all([api.exited, worker.exited]);
      const { rows: messages } = await db.query(
        `SELECT m.id, m.author, d.status FROM messages m LEFT JOIN deliveries d ON d.message_id = m.id
          WHERE m.ticket_id = ANY($1) AND m.author IN ('ai', 'agent', 'system') AND NOT m.internal ORDER BY m.created_at`,
        [[humanId, answered.body.id, escalated.body.id]],
      );
      const before = callback.received.length;

      // Redis comes back empty; two fresh workers sweep the outbox at the same time.
      redis = await startRedis(redis.port);
      const sweepers = [0, 1].map(() => startHandoff({ ...common, ROLE: 'worker' }));
      procs.push(...sweepers);
      await eventually(async () => {
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM deliveries WHERE message_id = ANY($1) AND status = 'delivered'`, [messages.map((m) => m.id)]);
        return rows[0].n === messages.length;
      }, 90_000, 250);
      // A few more sweeps of both workers, which must not send anything again.
      await new Promise((r) => setTimeout(r, 4_000));
      const posts = messages.map((m) => callback.received.filter((r) => r.json?.message?.id === m.id).length);
      console.log(
        `[lost delivery] injected: Redis SIGKILLed while the worker held an AI answer and a low-confidence answer, agent reply sent with Redis down, then API and worker SIGKILLed; ` +
          `counted: messages committed ${messages.length} (${messages.map((m) => `${m.author}:${m.status}`).join(', ')}), callbacks before the restart ${before}, ` +
          `after Redis back and 2 sweeping workers: POSTs per message ${posts.join(',')}`,
      );
      expect(messages.map((m) => m.author).sort()).toEqual(['agent', 'ai', 'system']);
      expect(messages.map((m) => m.status)).toEqual(['pending', 'pending', 'pending']);
      expect(before).toBe(0);
      expect(posts).toEqual([1, 1, 1]);
    } finally {
      await Promise.all([provider.close(), callback.close()]);
    }
  });

  test('when the API is SIGKILLed while an agent reply is being saved, then the reply is saved with its delivery or not at all, and the retried reply reaches the callback exactly once', async () => {
    const callback = await startLocalServer(() => ({ status: 204 }));
    const lock = new pg.Client({ connectionString: postgres.url('handoff') });
    await lock.connect();
    try {
      const port = await freePort();
      const common = { DATABASE_URL: postgres.url('handoff'), REDIS_URL: redis.url, QUEUE_PREFIX: `lost-${randomUUID()}`, SWEEP_INTERVAL_MS: '1000' };
      const api = startHandoff({ ...common, ROLE: 'api', PORT: String(port), DB_AUTO_MIGRATE: 'true' });
      procs.push(api);
      await waitForOutput(api, 'handoff listening', 90_000);
      const { agent, ticketId: humanId } = await agentWithTicket(`http://127.0.0.1:${port}`, `${callback.url}/hooks`);

      // Holding a lock on deliveries stops the reply at its delivery row, wherever that is written;
      // the process is killed there, so whatever it committed before that point stays committed.
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE deliveries IN ACCESS EXCLUSIVE MODE');
      const body = 'Hello, a person here: your refund is on its way.';
      const first = agent.post(`/v1/tickets/${humanId}/replies`, { body }).then((r) => r.status, () => 0);
      await eventually(async () => {
        const { rows } = await lock.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = 'handoff'`);
        return rows[0].n > 0;
      }, 30_000, 100);
      api.child.kill('SIGKILL');
      await api.exited;
      // Its server session would run the queued statement once the lock is gone; a process that
      // died before sending it leaves nothing queued, so the session goes too.
      await lock.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = 'handoff'`);
      await lock.query('ROLLBACK');
      const firstStatus = await first;

      // The agent's tool got no answer and sends the reply again, to a restarted API.
      const restarted = startHandoff({ ...common, ROLE: 'api', PORT: String(port) });
      const worker = startHandoff({ ...common, ROLE: 'worker' });
      procs.push(restarted, worker);
      await waitForOutput(restarted, 'handoff listening', 60_000);
      const retried = await agent.post(`/v1/tickets/${humanId}/replies`, { body });
      const { rows: replies } = await db.query(
        `SELECT m.id, (SELECT count(*)::int FROM deliveries d WHERE d.message_id = m.id) AS deliveries FROM messages m WHERE m.ticket_id = $1 AND m.author = 'agent'`,
        [humanId],
      );
      await eventually(async () => {
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM deliveries WHERE ticket_id = $1 AND status = 'delivered'`, [humanId]);
        return rows[0].n === replies.length;
      }, 60_000, 250);
      await new Promise((r) => setTimeout(r, 3_000));
      const posts = replies.map((m) => callback.received.filter((r) => r.json?.message?.id === m.id).length);
      console.log(
        `[reply SIGKILL] injected: API SIGKILLed while its reply waited for the deliveries table; first request answered ${firstStatus || 'nothing'}, retry ${retried.status}; ` +
          `counted: agent messages stored ${replies.length}, delivery rows per message ${replies.map((m) => m.deliveries).join(',')}, POSTs per message ${posts.join(',')}`,
      );
      expect(firstStatus).toBe(0);
      expect(retried.status).toBe(201);
      expect(replies.map((m) => m.deliveries)).toEqual(replies.map(() => 1));
      expect(posts).toEqual(replies.map(() => 1));
      expect(replies).toHaveLength(1);
    } finally {
      await lock.end();
      await callback.close();
    }
  });
});
