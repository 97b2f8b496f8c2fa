import { randomUUID } from 'node:crypto';
import { AI_ANSWER_JOB_OPTIONS } from '../../src/shared/queue/queues';
import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket, createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';

const CONTRACT_EXAMPLE = {
  source: 'zendesk',
  externalId: '48213',
  channel: 'email',
  subject: 'Charged twice this month',
  body: 'Hi, I was charged twice ... please refund',
  customer: {
    externalId: 'cust-991',
    email: 'ana@example.com',
    name: 'Ana Ruiz',
    phone: '+34 600 000 000',
    locale: 'es',
    tier: 'standard',
    aiOptOut: false,
  },
  callbackUrl: 'https://helpdesk.example.com/hooks/handoff',
  metadata: { orderId: 'A-1001' },
};

describe('POST /v1/tickets', () => {
  let app: TestApp;
  let admin: ApiClient;
  let webhook: ApiClient;

  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
    webhook = apiClient(app.url, await createKey(admin, { role: 'webhook', source: 'zendesk' }));
  });
  afterAll(() => app.close());

  test('when the contract example arrives, then 202 with a decision, and a redelivery answers 200 with the same ticket', async () => {
    const example = { ...CONTRACT_EXAMPLE, externalId: `48213-${randomUUID()}` };
    const first = await webhook.post('/v1/tickets', example);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: expect.stringMatching(/^(ai_queued|human_queued)$/),
      route: expect.stringMatching(/^(ai|human)$/),
      priority: expect.stringMatching(/^(low|normal|high|urgent)$/),
      flags: expect.arrayContaining(['billing_dispute']),
      reasons: expect.arrayContaining([expect.objectContaining({ code: expect.any(String), detail: expect.any(String) })]),
    });
    expect(first.body.scores.sentiment).toBeGreaterThanOrEqual(-1);
    expect(first.body.scores.sentiment).toBeLessThanOrEqual(0);
    expect(first.body.scores.complexity).toBeGreaterThanOrEqual(0);
    expect(first.body.scores.complexity).toBeLessThanOrEqual(1);
    expect(new Date(first.body.sla.firstResponseDueAt).getTime()).toBeGreaterThan(Date.parse(first.body.createdAt));
    expect(new Date(first.body.sla.resolutionDueAt).getTime()).toBeGreaterThan(new Date(first.body.sla.firstResponseDueAt).getTime());

    const again = await webhook.post('/v1/tickets', example);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  test('when a routine question arrives, then it is ai_queued and an ai-answer job with the ticket id exists', async () => {
    const res = await webhook.post('/v1/tickets', buildTicket());
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ route: 'ai', status: 'ai_queued', reasons: [expect.objectContaining({ code: 'ROUTINE' })] });
    const job = await app.deps.queues.aiAnswer.getJob(res.body.id);
    // Ids only: BullMQ keeps job data in clear text.
    expect(job?.data).toEqual({ ticketId: res.body.id, requestId: res.headers.get('x-request-id') });
    expect(job?.opts).toMatchObject({ attempts: AI_ANSWER_JOB_OPTIONS.attempts, backoff: { type: 'exponential' } });
  });

  test('when 12 routine questions arrive at once, then each has its own ai-answer job with the same retry options', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => webhook.post('/v1/tickets', buildTicket())));
    for (const res of answers) {
      expect(res.status).toBe(202);
      expect(res.body.status).toBe('ai_queued');
      const job = await app.deps.queues.aiAnswer.getJob(res.body.id);
      expect(job?.data.ticketId).toBe(res.body.id);
      expect(job?.opts).toMatchObject({ attempts: AI_ANSWER_JOB_OPTIONS.attempts, backoff: { type: 'exponential' } });
    }
  });

  test('when the customer asks for a person, then the ticket waits for a human with due times from the policy and no AI job', async () => {
    const res = await webhook.post('/v1/tickets', buildTicket({ body: 'I want to talk to a real person, not a bot. My order #123 never arrived.' }));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ route: 'human', status: 'human_queued', flags: expect.arrayContaining(['human_requested']) });
    expect(res.body.reasons.map((r: { code: string }) => r.code)).toContain('HUMAN_REQUESTED');
    expect(await app.deps.queues.aiAnswer.getJob(res.body.id)).toBeUndefined();
    const minutes = (Date.parse(res.body.sla.firstResponseDueAt) - Date.parse(res.body.createdAt)) / 60_000;
    expect(minutes).toBe({ urgent: 15, high: 60, normal: 240, low: 480 }[res.body.priority as string]);
  });

  test('when the optional fields arrive as null, then the ticket is taken as if they were absent, with the defaults', async () => {
    const ticket = buildTicket({
      channel: null,
      subject: null,
      callbackUrl: null,
      metadata: null,
      customer: { email: null, name: null, phone: null, locale: null, tier: null, aiOptOut: null },
    });
    const res = await webhook.post('/v1/tickets', ticket);
    expect(res.status).toBe(202);
    const read = await admin.get(`/v1/tickets/${res.body.id}`);
    expect(read.body).toMatchObject({ channel: 'web', subject: null, metadata: {} });
    const customer = await app.deps.db.customer.findUniqueOrThrow({ where: { source_externalId: { source: 'zendesk', externalId: ticket.customer.externalId } } });
    expect(customer).toMatchObject({ tier: 'standard', aiOptOut: false, emailEnc: null, nameEnc: null, phoneEnc: null, locale: null });
  });

  test('when a known customer writes again with null contact details, then the details on record are kept', async () => {
    const first = buildTicket();
    await webhook.post('/v1/tickets', first);
    const again = buildTicket({ customer: { externalId: first.customer.externalId, email: null, name: null, locale: null } });
    expect((await webhook.post('/v1/tickets', again)).status).toBe(202);
    const customer = await app.deps.db.customer.findUniqueOrThrow({ where: { source_externalId: { source: 'zendesk', externalId: first.customer.externalId } } });
    expect(customer.emailEnc && app.deps.cipher.decrypt(customer.emailEnc)).toBe(first.customer.email);
    expect(customer.locale).toBe(first.customer.locale);
  });

  test('when the customer opted out of AI, then a routine question still goes to a person with AI_OPT_OUT', async () => {
    const res = await webhook.post('/v1/tickets', buildTicket({ customer: { aiOptOut: true } }));
    expect(res.body).toMatchObject({ route: 'human', status: 'human_queued' });
    expect(res.body.reasons.map((r: { code: string }) => r.code)).toEqual(['AI_OPT_OUT']);
  });

  test('when only the tier differs, then scores, flags and route are identical and only priority may rise', async () => {
    const body = 'My package is late and nobody answers, this is getting really frustrating.';
    const standard = await webhook.post('/v1/tickets', buildTicket({ body, customer: { tier: 'standard', name: 'John Smith', locale: 'en' } }));
    const vip = await webhook.post('/v1/tickets', buildTicket({ body, customer: { tier: 'vip', name: 'Wei Zhang', locale: 'zh' } }));
    expect(vip.body.scores).toEqual(standard.body.scores);
    expect(vip.body.flags).toEqual(standard.body.flags);
    expect(vip.body.route).toEqual(standard.body.route);
    const order = ['low', 'normal', 'high', 'urgent'];
    expect(order.indexOf(vip.body.priority)).toBeGreaterThanOrEqual(order.indexOf(standard.body.priority));
  });

  test('when 20 identical deliveries arrive at once, then one ticket, one decision and one job exist and all answers carry its id', async () => {
    const ticket = buildTicket();
    const answers = await Promise.all(Array.from({ length: 20 }, () => webhook.post('/v1/tickets', ticket)));
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(19);
    const [id] = [...ids];
    expect(await app.deps.db.ticket.count({ where: { source: 'zendesk', externalId: ticket.externalId } })).toBe(1);
    expect(await app.deps.db.decision.count({ where: { ticketId: id } })).toBe(1);
    const jobs = await app.deps.queues.aiAnswer.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    expect(jobs.filter((j) => j.data.ticketId === id)).toHaveLength(1);
  });

  test('when a customer writes often, then a routine question still goes to the AI, and each decision keeps the count for a replay', async () => {
    // The default policy does not route on repeat contact (a version can turn it on: test/policies/activation.test.ts).
    expect(app.deps.policies.current().repeatContactThreshold).toBeNull();
    const customer = { externalId: `cust-often-${randomUUID()}` };
    for (let earlier = 0; earlier < 5; earlier++) {
      const res = await webhook.post('/v1/tickets', buildTicket({ customer }));
      expect(res.body).toMatchObject({ route: 'ai', status: 'ai_queued', reasons: [expect.objectContaining({ code: 'ROUTINE' })] });
      expect((await app.deps.db.decision.findFirstOrThrow({ where: { ticketId: res.body.id } })).recentTicketCount).toBe(earlier);
    }
  });

  test('when a webhook key posts for another source, then 403 and nothing is stored', async () => {
    const ticket = buildTicket({ source: 'freshdesk' });
    const res = await webhook.post('/v1/tickets', ticket);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await app.deps.db.ticket.count({ where: { externalId: ticket.externalId } })).toBe(0);
  });
});

describe('GET /v1/tickets/{id}', () => {
  let app: TestApp;
  let admin: ApiClient;
  let webhook: ApiClient;

  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
    webhook = apiClient(app.url, await createKey(admin, { role: 'webhook', source: 'zendesk' }));
  });
  afterAll(() => app.close());

  test('when read back, then the ticket shows its message, decision with versions, and empty assignment fields', async () => {
    const posted = await webhook.post('/v1/tickets', buildTicket({ body: 'How do I reset my password?' }));
    const res = await webhook.get(`/v1/tickets/${posted.body.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: posted.body.id,
      status: posted.body.status,
      assignedAgentId: null,
      firstRespondedAt: null,
      resolvedAt: null,
      messages: [{ author: 'customer', body: 'How do I reset my password?', id: expect.any(String), createdAt: expect.any(String) }],
    });
    expect(res.body.decisions).toHaveLength(1);
    expect(res.body.decisions[0]).toMatchObject({
      trigger: 'intake',
      route: posted.body.route,
      scores: posted.body.scores,
      flags: posted.body.flags,
      reasons: posted.body.reasons,
      scorerVersion: expect.stringMatching(/\S/),
      policyVersion: expect.stringMatching(/\S/),
    });
  });

  test('when the ticket belongs to another source, then its webhook key gets 403; supervisors may read it', async () => {
    const otherKey = await createKey(admin, { role: 'webhook', source: 'intercom' });
    const posted = await apiClient(app.url, otherKey).post('/v1/tickets', buildTicket({ source: 'intercom' }));
    expect((await webhook.get(`/v1/tickets/${posted.body.id}`)).status).toBe(403);
    const supervisor = apiClient(app.url, await createKey(admin, { role: 'supervisor' }));
    expect((await supervisor.get(`/v1/tickets/${posted.body.id}`)).status).toBe(200);
  });

  test('when the id is unknown or not a UUID, then 404 problem+json', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const res = await admin.get(`/v1/tickets/${id}`);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ status: 404, title: expect.any(String), type: expect.any(String), detail: expect.any(String) });
    }
  });
});
