import { createHmac, randomUUID } from 'node:crypto';
import { signedPost } from '../support/signed';
import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket, createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { eventually, startLocalServer } from '../support/local-server';
import { startAiWorker, processAnswerTicket, createKbProvider } from '../../src/modules/ai';
import { enqueueDelivery, startDeliveryWorker } from '../../src/modules/delivery';

const SECRET = 'whsec_test_secret_for_ai_tests';

describe('AI answers with the kb provider', () => {
  let app: TestApp;
  let admin: ApiClient;
  let webhook: ApiClient;
  let webhookKey: string;
  let callback: Awaited<ReturnType<typeof startLocalServer>>;
  let workers: { close(): Promise<void> }[];
  const source = `shop-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    app = await startApp({ AI_REVIEW_SAMPLE_RATE: '0', DELIVERY_RETRY_DELAY_MS: '50' });
    admin = apiClient(app.url, ADMIN_KEY);
    webhookKey = await createKey(admin, { role: 'webhook', source });
    webhook = apiClient(app.url, webhookKey);
    await app.deps.db.source.create({ data: { name: source, signingSecretsEnc: [app.deps.cipher.encrypt(SECRET)] } });
    callback = await startLocalServer();
    workers = [startAiWorker(app.deps), startDeliveryWorker(app.deps)];
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await callback.close();
    await app.close();
  });

  const deliveriesFor = (ticketId: string) => callback.received.filter((r) => r.json?.ticketId === ticketId);
  const read = async (id: string) => (await admin.get(`/v1/tickets/${id}`)).body;

  test('when a routine ticket arrives, then the kb answers it with a disclosure and cited articles, delivered signed to the callback', async () => {
    const posted = await signedPost(webhook, '/v1/tickets', buildTicket({
      source,
      subject: 'Forgot my password',
      body: 'Hi, I forgot my password and cannot log in. How do I reset it? Thanks',
      callbackUrl: `${callback.url}/hooks`,
    }), SECRET);
    expect(posted.status).toBe(202);
    expect(posted.body.status).toBe('ai_queued');

    const [delivery] = await eventually(async () => (deliveriesFor(posted.body.id).length ? deliveriesFor(posted.body.id) : null));
    expect(delivery.json).toMatchObject({
      event: 'ticket.message',
      ticketId: posted.body.id,
      source,
      externalId: posted.body.externalId,
      message: { author: 'ai', body: expect.stringContaining('password'), disclosure: expect.stringContaining('AI') },
    });
    const [t, v1] = String(delivery.headers['x-handoff-signature']).split(',').map((p) => p.split('=')[1]);
    expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${delivery.raw}`).digest('hex'));
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(300);

    const ticket = await read(posted.body.id);
    expect(ticket.status).toBe('ai_answered');
    expect(ticket.firstRespondedAt).not.toBeNull();
    const ai = ticket.messages.find((m: any) => m.author === 'ai');
    expect(ai.sources).toEqual(expect.arrayContaining([expect.objectContaining({ slug: 'reset-password' })]));
    expect(ai.confidence).toBeGreaterThanOrEqual(app.config.ai.minConfidence);
    const row = await app.deps.db.delivery.findFirstOrThrow({ where: { ticketId: posted.body.id } });
    await eventually(async () => (await app.deps.db.delivery.findUniqueOrThrow({ where: { id: row.id } })).status === 'delivered');
  });

  test('when the job for an answered ticket is replayed, then nothing changes', async () => {
    const posted = await signedPost(webhook, '/v1/tickets', buildTicket({ source, subject: 'Invoice', body: 'How can I download an invoice for my order?' }), SECRET);
    await eventually(async () => (await read(posted.body.id)).status === 'ai_answered');
    const before = await read(posted.body.id);
    const outcome = await processAnswerTicket(app.deps, createKbProvider(app.deps.pool), { data: { ticketId: posted.body.id }, attemptsMade: 0, opts: { attempts: 4 } });
    expect(outcome).toBe('skipped');
    const after = await read(posted.body.id);
    expect(after.messages).toHaveLength(before.messages.length);
    expect(after.updatedAt).toBe(before.updatedAt);
  });

  test('when Redis is down as the answer commits, then the answer and its pending delivery are stored together and one enqueue later delivers it once', async () => {
    // An app whose Redis is unreachable takes the ticket (so no job exists) and answers it.
    const down = await startApp({ REDIS_URL: 'redis://127.0.0.1:6390', AI_REVIEW_SAMPLE_RATE: '0' }, { seed: false });
    let ticketId: string;
    try {
      const posted = await signedPost(apiClient(down.url, webhookKey), '/v1/tickets', buildTicket({ source, subject: 'Password', body: 'How do I reset my password?', callbackUrl: `${callback.url}/hooks` }), SECRET);
      expect(posted.status).toBe(202);
      ticketId = posted.body.id;
      expect(await processAnswerTicket(down.deps, createKbProvider(down.deps.pool), { data: { ticketId }, attemptsMade: 0, opts: { attempts: 4 } })).toBe('answered');
    } finally {
      await down.close();
    }
    const message = await app.deps.db.message.findFirstOrThrow({ where: { ticketId, author: 'ai' } });
    const row = await app.deps.db.delivery.findUniqueOrThrow({ where: { messageId_event: { messageId: message.id, event: 'ticket.message' } } });
    expect(row.status).toBe('pending');
    // What the delivery sweeper does once Redis is back; twice, as two worker processes might.
    await Promise.all([enqueueDelivery(app.deps, row.id), enqueueDelivery(app.deps, row.id)]);
    await eventually(async () => (await app.deps.db.delivery.findUniqueOrThrow({ where: { id: row.id } })).status === 'delivered');
    expect(callback.received.filter((r) => r.json?.message?.id === message.id)).toHaveLength(1);
  });

  test('when the question is off-topic, then a person gets it with the AI draft kept internal, and the customer is told when', async () => {
    const posted = await signedPost(webhook, '/v1/tickets', buildTicket({
      source,
      subject: 'Question',
      body: 'Can you recommend a good recipe for lasagne for tonight?',
      callbackUrl: `${callback.url}/hooks`,
    }), SECRET);
    expect(posted.body.route).toBe('ai');
    const ticket = await eventually(async () => {
      const t = await read(posted.body.id);
      return t.status === 'human_queued' ? t : null;
    });
    expect(ticket.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'AI_LOW_CONFIDENCE' })]));
    expect(ticket.decisions.at(-1)).toMatchObject({ trigger: 'ai', route: 'human', reasons: [expect.objectContaining({ code: 'AI_LOW_CONFIDENCE' })] });
    const notice = await eventually(async () => deliveriesFor(posted.body.id)[0]);
    expect(notice.json.message.author).toBe('system');
    expect(notice.json.message.body).toMatch(/member of our team will reply by/);
    expect(deliveriesFor(posted.body.id).every((d) => d.json.message.author !== 'ai')).toBe(true);
    // The webhook sees no internal draft; agents and supervisors do.
    const asWebhook = await webhook.get(`/v1/tickets/${posted.body.id}`);
    expect(asWebhook.body.messages.some((m: any) => m.internal)).toBe(false);
    // The thread lists only the contract's authors; the notice the customer got is listed apart.
    expect(asWebhook.body.messages.map((m: any) => m.author)).toEqual(['customer']);
    expect(asWebhook.body.notices).toEqual([{ id: notice.json.message.id, body: notice.json.message.body, createdAt: notice.json.message.createdAt }]);
  });

  test('when a Spanish customer asks, then the answer and its disclosure are in Spanish', async () => {
    const posted = await signedPost(webhook, '/v1/tickets', buildTicket({
      source,
      subject: 'Mi paquete',
      body: '¿Cómo puedo hacer el seguimiento de mi paquete? Gracias',
      customer: { locale: 'es' },
    }), SECRET);
    const ticket = await eventually(async () => {
      const t = await read(posted.body.id);
      return t.status === 'ai_answered' ? t : null;
    });
    const ai = ticket.messages.find((m: any) => m.author === 'ai');
    expect(ai.disclosure).toMatch(/asistente de IA/);
    expect(ai.sources[0]).toMatchObject({ slug: 'track-a-parcel', language: 'es' });
  });

  test('when the customer follows up with another question, then the AI answers again; when unhappy, a person gets the whole thread', async () => {
    const posted = await signedPost(webhook, '/v1/tickets', buildTicket({ source, subject: 'VAT', body: 'Do your prices include VAT?', callbackUrl: `${callback.url}/hooks` }), SECRET);
    await eventually(async () => (await read(posted.body.id)).status === 'ai_answered');

    const second = await signedPost(webhook, `/v1/tickets/${posted.body.id}/messages`, { body: 'Thanks. And how do I download an invoice for my order?' }, SECRET);
    expect(second.status).toBe(200);
    const answeredTwice = await eventually(async () => {
      const t = await read(posted.body.id);
      return t.status === 'ai_answered' && t.messages.filter((m: any) => m.author === 'ai').length === 2 ? t : null;
    });
    expect(answeredTwice.messages.filter((m: any) => m.author === 'ai')[1].sources[0].slug).toMatch(/invoice/);

    const unhappy = await signedPost(webhook, `/v1/tickets/${posted.body.id}/messages`, { body: 'That didn\'t help at all, this is useless.' }, SECRET);
    expect(unhappy.body.status).toBe('human_queued');
    expect(unhappy.body.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'CUSTOMER_DISSATISFIED' })]));
    expect(unhappy.body.messages.filter((m: any) => m.author === 'customer')).toHaveLength(3);
    const notice = await eventually(async () => deliveriesFor(posted.body.id).find((d) => d.json.message.author === 'system'));
    expect(notice.json.message.body).toMatch(/support team/);
    const row = await app.deps.db.ticket.findUniqueOrThrow({ where: { id: posted.body.id } });
    expect(row.escalatedAfterAi).toBe(true);
  });

  test.each([
    ['waiting for a person', 'I want to talk to a human about my order please', 'human_queued'],
    ['answered by the AI', 'Do your prices include VAT?', 'ai_answered'],
  ])('when ten follow-ups to a ticket %s arrive at once, then every one is accepted and stored', async (_state, body, status) => {
    const posted = await signedPost(webhook, '/v1/tickets', buildTicket({ source, body }), SECRET);
    await eventually(async () => (await read(posted.body.id)).status === status);

    const texts = Array.from({ length: 10 }, (_, i) => `One more detail, number ${i}: the order reference is A-10${i}.`);
    const answers = await Promise.all(texts.map((text) => signedPost(webhook, `/v1/tickets/${posted.body.id}/messages`, { body: text }, SECRET)));
    expect(answers.map((a) => a.status)).toEqual(texts.map(() => 200));
    const stored = (await read(posted.body.id)).messages.filter((m: any) => m.author === 'customer').map((m: any) => m.body);
    expect(stored.sort()).toEqual([body, ...texts].sort());
  });
});
