import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { loadConfig } from '../../src/shared/config';
import { QUEUE_NAMES } from '../../src/shared/queue/queues';
import { createLogger } from '../../src/shared/logger';
import { createDeps } from '../../src/shared/runtime';
import { startWorkers } from '../../src/workers';
import { markBreaches } from '../../src/modules/sla/breach-watcher';
import { ADMIN_KEY, TEST_PII_KEY } from '../support/start-app';
import { insertTicket } from '../support/ticket-factory';

const SECRET = 'supervisor-secret-0123456789';
const MIN = 60_000;

interface Received {
  body: any;
  signature: string;
  raw: string;
}

/** The supervisors' endpoint: records what arrives and fails the first attempt for chosen tickets. */
async function startReceiver(failFirstFor: Set<string>) {
  const received: Received[] = [];
  const failedOnce = new Set<string>();
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw);
      if (failFirstFor.has(body.ticketId) && !failedOnce.has(body.ticketId)) {
        failedOnce.add(body.ticketId);
        res.writeHead(503).end();
        return;
      }
      received.push({ body, raw, signature: String(req.headers['x-handoff-signature']) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { received, failedOnce, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/sla`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not reached in time');
}

describe('SLA breach watcher', () => {
  const prefix = `test-${randomUUID()}`;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const instances: { deps: ReturnType<typeof createDeps>; workers: { close(): Promise<void> } }[] = [];
  const failFirst = new Set<string>();

  function deps() {
    const config = loadConfig({
      NODE_ENV: 'test', DATABASE_URL: process.env.TEST_DATABASE_URL!, ADMIN_API_KEY: ADMIN_KEY, PII_ENCRYPTION_KEY: TEST_PII_KEY, QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'silent', SLA_WATCH_INTERVAL_MS: '150', SUPERVISOR_WEBHOOK_URL: receiver.url, SUPERVISOR_WEBHOOK_SECRET: SECRET,
    });
    return createDeps(config, createLogger('silent'));
  }

  beforeAll(async () => {
    receiver = await startReceiver(failFirst);
  });
  afterAll(async () => {
    for (const i of instances) await i.workers.close();
    // The scheduler and delivery queues outlive the workers in Redis: remove this file's.
    for (const name of [QUEUE_NAMES.slaWatch, QUEUE_NAMES.supervisorWebhook]) {
      const q = new Queue(name, { connection: instances[0].deps.redis, prefix });
      await q.obliterate({ force: true });
      await q.close();
    }
    for (const i of instances) await i.deps.close();
    await receiver.close();
  });

  // First in the file, before its workers start watching too.
  test('when more tickets are past due than one transaction marks, then one scan marks every one of them, once', async () => {
    const probe = deps();
    try {
      const now = Date.now();
      const late: string[] = [];
      for (let i = 0; i < 250; i++) {
        late.push((await insertTicket(probe.db, { createdAt: new Date(now - 30 * MIN), firstResponseDueAt: new Date(now - MIN), resolutionDueAt: new Date(now + 600 * MIN) })).id);
      }
      await markBreaches(probe, null);
      // Another file's watcher may hold one of the batches for a moment: it marks those itself.
      await waitFor(async () => (await probe.db.ticket.count({ where: { id: { in: late }, firstResponseBreachedAt: null } })) === 0, 5_000);
      expect(await probe.db.ticketEvent.count({ where: { ticketId: { in: late }, type: 'sla_breached' } })).toBe(late.length);
      expect(await probe.db.decision.count({ where: { ticketId: { in: late }, trigger: 'sla_breach' } })).toBe(late.length);
    } finally {
      await probe.close();
    }
  });

  test('when two worker processes watch the same tickets, then each breach is marked, recorded and sent exactly once', async () => {
    const probe = deps();
    const db = probe.db;
    const now = Date.now();
    const frLate = await insertTicket(db, { createdAt: new Date(now - 30 * MIN), priority: 'normal', firstResponseDueAt: new Date(now - 1 * MIN), resolutionDueAt: new Date(now + 600 * MIN) });
    const bothLate = await insertTicket(db, { createdAt: new Date(now - 300 * MIN), priority: 'urgent', status: 'assigned',
      firstResponseDueAt: new Date(now - 280 * MIN), resolutionDueAt: new Date(now - 2 * MIN) });
    const humanLate = await insertTicket(db, { createdAt: new Date(now - 40 * MIN), priority: 'low', status: 'ai_queued', route: 'ai',
      humanRequestedAt: new Date(now - 40 * MIN), humanRequestDueAt: new Date(now - 10 * MIN), firstResponseDueAt: new Date(now + 60 * MIN), resolutionDueAt: new Date(now + 600 * MIN) });
    const answered = await insertTicket(db, { createdAt: new Date(now - 30 * MIN), status: 'assigned', firstRespondedAt: new Date(now - 29 * MIN),
      firstResponseDueAt: new Date(now - 1 * MIN), resolutionDueAt: new Date(now + 600 * MIN) });
    const notYet = await insertTicket(db, { createdAt: new Date(now), firstResponseDueAt: new Date(now + 60 * MIN), resolutionDueAt: new Date(now + 600 * MIN) });
    failFirst.add(frLate.id);
    const expected = new Map([[frLate.id, ['first_response']], [bothLate.id, ['first_response', 'resolution']], [humanLate.id, ['human_request']]]);
    const mine = [frLate.id, bothLate.id, humanLate.id, answered.id, notYet.id];

    for (let i = 0; i < 2; i++) {
      const d = i === 0 ? probe : deps();
      instances.push({ deps: d, workers: await startWorkers(d) });
    }
    const sent = () => receiver.received.filter((r) => expected.has(r.body.ticketId));
    await waitFor(() => sent().length >= 4);
    // Let both watchers run many more times: nothing new may appear.
    await new Promise((r) => setTimeout(r, 1_500));
    // And race four direct scans at once on top.
    await Promise.all([0, 1, 2, 3].map(() => markBreaches(probe, null)));

    const decisions = await db.decision.findMany({ where: { ticketId: { in: mine }, trigger: 'sla_breach' } });
    const byTicket = (id: string) => decisions.filter((d) => d.ticketId === id).map((d) => (d.reasons as { clock: string }[])[0].clock).sort();
    for (const [id, clocks] of expected) expect(byTicket(id)).toEqual(clocks);
    expect(byTicket(answered.id)).toEqual([]);
    expect(byTicket(notYet.id)).toEqual([]);
    expect(await db.ticketEvent.count({ where: { ticketId: { in: mine }, type: 'sla_breached' } })).toBe(4);

    const keys = sent().map((r) => `${r.body.ticketId}:${r.body.clock}`).sort();
    expect(keys).toEqual([...expected].flatMap(([id, clocks]) => clocks.map((c) => `${id}:${c}`)).sort());
    expect(receiver.failedOnce.has(frLate.id)).toBe(true); // delivered on the retry
    for (const r of sent()) {
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(r.signature)!;
      expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${r.raw}`).digest('hex'));
      expect(r.body).toMatchObject({ event: 'sla.breached', dueAt: expect.any(String), breachedAt: expect.any(String) });
    }

    const after = await db.ticket.findMany({ where: { id: { in: mine } } });
    const get = (id: string) => after.find((t) => t.id === id)!;
    expect(get(frLate.id).priority).toBe('high'); // normal, one step
    expect(get(bothLate.id).priority).toBe('urgent'); // already at the top
    expect(get(humanLate.id).priority).toBe('normal');
    expect(get(humanLate.id).humanRequestBreachedAt).not.toBeNull();
    expect(get(answered.id).firstResponseBreachedAt).toBeNull();
    expect(get(notYet.id).priority).toBe('normal');
    expect((get(frLate.id).reasons as { code: string }[]).map((r) => r.code)).toContain('SLA_BREACH');
    const deliveries = await db.delivery.findMany({ where: { ticketId: { in: mine }, event: 'sla.breached' } });
    expect(deliveries).toHaveLength(4);
    expect(deliveries.every((d) => d.status === 'delivered')).toBe(true);
  });
});
