import { randomUUID } from 'node:crypto';
import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket, createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { eventually } from '../support/local-server';
import { startAiWorker } from '../../src/modules/ai';

describe('human review of AI answers and the knowledge base', () => {
  let app: TestApp;
  let admin: ApiClient;
  let webhook: ApiClient;
  let agent: ApiClient;
  let worker: { close(): Promise<void> };
  const source = `rv-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    app = await startApp({ AI_REVIEW_SAMPLE_RATE: '1' });
    admin = apiClient(app.url, ADMIN_KEY);
    webhook = apiClient(app.url, await createKey(admin, { role: 'webhook', source }));
    const a = await app.deps.db.agent.create({ data: { name: 'Rita', email: 'rita@example.com', skills: [], languages: ['en'] } });
    agent = apiClient(app.url, await createKey(admin, { role: 'agent', agentId: a.id }));
    worker = startAiWorker(app.deps);
  });
  afterAll(async () => {
    await worker.close();
    await app.close();
  });

  const answered = async (body: string) => {
    const posted = await webhook.post('/v1/tickets', buildTicket({ source, subject: 'Question', body }));
    await eventually(async () => (await admin.get(`/v1/tickets/${posted.body.id}`)).body.status === 'ai_answered');
    const review = await eventually(async () => {
      const list = await agent.get('/v1/reviews?limit=200');
      return list.body.items.find((r: any) => r.ticketId === posted.body.id);
    });
    return { ticketId: posted.body.id as string, review };
  };

  test('when an agent judges a sampled answer bad, then the ticket goes to a person with AI_ANSWER_REJECTED', async () => {
    const { ticketId, review } = await answered('How do I cancel my subscription?');
    expect(review).toMatchObject({ reason: expect.stringMatching(/sample|near_threshold/), answer: expect.stringContaining('subscription'), verdict: null });

    const res = await agent.post(`/v1/reviews/${review.id}`, { verdict: 'bad', note: 'Wrong plan type' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ verdict: 'bad', ticketReopened: true });
    const ticket = (await admin.get(`/v1/tickets/${ticketId}`)).body;
    expect(ticket.status).toBe('human_queued');
    expect(ticket.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'AI_ANSWER_REJECTED' })]));
    expect((await agent.post(`/v1/reviews/${review.id}`, { verdict: 'good' })).status).toBe(409);
  });

  test('when an answer is judged good, then the ticket stays answered and the review is listed as reviewed', async () => {
    const { ticketId, review } = await answered('Do your prices include VAT?');
    const res = await agent.post(`/v1/reviews/${review.id}`, { verdict: 'good' });
    expect(res.body.ticketReopened).toBe(false);
    expect((await admin.get(`/v1/tickets/${ticketId}`)).body.status).toBe('ai_answered');
    const done = await agent.get('/v1/reviews?status=reviewed&limit=200');
    expect(done.body.items.map((r: any) => r.id)).toContain(review.id);
    expect((await agent.post(`/v1/reviews/${review.id}`, { verdict: 'meh' })).status).toBe(400);
    expect((await webhook.get('/v1/reviews')).status).toBe(403);
  });

  test('when an admin adds, updates and deletes an article, then the kb provider answers from it', async () => {
    const slug = `teleport-${randomUUID().slice(0, 8)}`;
    const created = await admin.post('/v1/kb/articles', {
      slug, language: 'en', title: 'Teleporter parcel collection', tags: ['teleporter'],
      body: 'Parcels sent by teleporter can be collected from the teleporter booth at any of our stores. Bring your order number and a photo ID.',
    });
    expect(created.status).toBe(201);
    const bad = await admin.post('/v1/kb/articles', { slug: 'Not A Slug', language: 'english', title: '', body: 'x', tags: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path).sort()).toEqual(['language', 'slug', 'title']);
    const dup = await admin.post('/v1/kb/articles', { slug, language: 'en', title: 'Again', body: 'Again and again.', tags: [] });
    expect(dup.status).toBe(409);

    const posted = await webhook.post('/v1/tickets', buildTicket({ source, subject: 'Teleporter', body: 'Where do I collect my teleporter parcel?' }));
    await eventually(async () => (await admin.get(`/v1/tickets/${posted.body.id}`)).body.status === 'ai_answered');
    const ai = (await admin.get(`/v1/tickets/${posted.body.id}`)).body.messages.find((m: any) => m.author === 'ai');
    expect(ai.sources[0].slug).toBe(slug);

    const put = await admin.put(`/v1/kb/articles/${created.body.id}`, { slug, language: 'en', title: 'Teleporter collection', body: 'Updated body.', tags: [] });
    expect(put.status).toBe(200);
    expect(put.body.title).toBe('Teleporter collection');
    const list = await admin.get('/v1/kb/articles?language=es');
    expect(list.body.items.every((a: any) => a.language === 'es')).toBe(true);
    expect((await admin.delete(`/v1/kb/articles/${created.body.id}`)).status).toBe(204);
    expect((await admin.get(`/v1/kb/articles/${created.body.id}`)).status).toBe(404);
    expect((await agent.get('/v1/kb/articles')).status).toBe(403);
  });
});
