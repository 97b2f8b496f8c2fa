import { randomUUID } from 'node:crypto';
import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket, createKey } from '../support/factories';
import { buildAgent, claimUntilMine, claimUntilNothingFits, insertQueuedTickets, privateLanguage } from '../support/agents';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { buildSuggestions } from '../../src/modules/agents/agent-assist';

describe('an agent created through the API works tickets over HTTP', () => {
  let app: TestApp;
  let admin: ApiClient;
  let webhook: ApiClient;

  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
    webhook = apiClient(app.url, await createKey(admin, { role: 'webhook', source: 'zendesk' }));
  });
  afterAll(() => app.close());

  /** A human-routed ticket through intake, then moved to a language only this test's agents speak. */
  async function humanTicket(language: string, body = 'I want to talk to a real person. My parcel never arrived and nobody answers.') {
    const res = await webhook.post('/v1/tickets', buildTicket({ body }));
    expect(res.body.status).toBe('human_queued');
    await app.deps.db.ticket.update({ where: { id: res.body.id }, data: { language, skills: [] } });
    return res.body.id as string;
  }

  test('when an agent goes available, claims, replies and resolves, then each step answers as the contract says and is kept as an event', async () => {
    const language = privateLanguage();
    const created = await admin.post('/v1/agents', { name: 'Ana Agent', email: 'ana.agent@example.com', skills: ['billing'], languages: [language], capacity: 10 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), name: 'Ana Agent', skills: ['billing'], capacity: 10, status: 'offline' });
    const agentId = created.body.id;
    const agent = apiClient(app.url, await createKey(admin, { role: 'agent', agentId }));
    const ticketId = await humanTicket(language);

    // An offline agent is given nothing; the header says why, so its tool need not guess.
    const offlineClaim = await agent.post(`/v1/agents/${agentId}/claim`);
    expect(offlineClaim.status).toBe(204);
    expect(offlineClaim.headers.get('x-handoff-claim')).toBe('agent_offline');
    // Nothing will fit until the agent says it is available: no time to poll again at.
    expect(offlineClaim.headers.get('retry-after')).toBeNull();
    expect((await agent.patch(`/v1/agents/${agentId}`, { status: 'away' })).status).toBe(200);
    expect((await agent.post(`/v1/agents/${agentId}/claim`)).headers.get('x-handoff-claim')).toBe('agent_away');

    const available = await agent.patch(`/v1/agents/${agentId}`, { status: 'available' });
    expect(available.status).toBe(200);
    expect(available.body.status).toBe('available');

    const claim = await claimUntilMine({ id: agentId, client: agent, body: created.body }, [ticketId]);
    expect(claim.status).toBe(200);
    expect(claim.body.ticket).toMatchObject({ id: ticketId, status: 'assigned', assignedAgentId: agentId });
    expect(claim.body.ticket.messages[0]).toMatchObject({ author: 'customer', body: expect.stringContaining('real person') });
    expect(Array.isArray(claim.body.suggestions)).toBe(true);

    const assignments = await agent.get(`/v1/agents/${agentId}/assignments`);
    expect(assignments.status).toBe(200);
    expect(assignments.body.nextCursor).toBeNull();
    // Besides its own, the agent may hold waiting tickets of unknown language that another test file left (claimUntilMine).
    expect(assignments.body.items.filter((t: { id: string }) => t.id === ticketId)).toEqual([expect.objectContaining({ id: ticketId, status: 'assigned' })]);
    expect(assignments.body.items.every((t: { status: string }) => t.status === 'assigned')).toBe(true);

    const reply = await agent.post(`/v1/tickets/${ticketId}/replies`, { body: 'Hi, I am Ana. I am checking with the carrier now.' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ id: expect.any(String), author: 'agent', agentId, body: 'Hi, I am Ana. I am checking with the carrier now.' });
    const second = await agent.post(`/v1/tickets/${ticketId}/replies`, { body: 'The parcel is on its way.' });
    expect(second.status).toBe(201);

    const resolved = await agent.post(`/v1/tickets/${ticketId}/resolve`);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ id: ticketId, status: 'resolved', resolvedAt: expect.any(String) });
    const again = await agent.post(`/v1/tickets/${ticketId}/resolve`);
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');

    const read = await admin.get(`/v1/tickets/${ticketId}`);
    expect(read.body.firstRespondedAt).toBe(reply.body.createdAt);
    expect(read.body.messages.filter((m: { author: string }) => m.author === 'agent')).toHaveLength(2);
    expect(read.body.events.map((e: { type: string }) => e.type)).toEqual(['human_queued', 'claimed', 'replied', 'replied', 'resolved']);
    // The stored reply is ciphertext: personal data is encrypted at rest.
    const stored = await app.deps.db.message.findUnique({ where: { id: reply.body.id } });
    expect(stored?.bodyEnc).not.toContain('carrier');
  });

  test('when nothing fits, then the claim is 204 with no body and a Retry-After', async () => {
    const agent = await buildAgent(app, admin, { languages: [privateLanguage()], capacity: 60 }, { available: true });
    const res = await claimUntilNothingFits(agent);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  test('when a key acts for another agent, then claim, status and assignments are 403, and webhook keys are 403 too', async () => {
    const a = await buildAgent(app, admin, { languages: [privateLanguage()] }, { available: true });
    const b = await buildAgent(app, admin, { languages: [privateLanguage()] });
    expect((await a.client.post(`/v1/agents/${b.id}/claim`)).status).toBe(403);
    expect((await a.client.patch(`/v1/agents/${b.id}`, { status: 'available' })).status).toBe(403);
    expect((await a.client.get(`/v1/agents/${b.id}/assignments`)).status).toBe(403);
    expect((await webhook.post(`/v1/agents/${a.id}/claim`)).status).toBe(403);
    expect((await webhook.get('/v1/agents')).status).toBe(403);
    expect((await admin.post(`/v1/agents/${randomUUID()}/claim`)).status).toBe(404);
    expect((await admin.post('/v1/agents/not-a-uuid/claim')).status).toBe(404);
  });

  test('when a ticket is claimed, then the claim shows it exactly as GET /v1/tickets/{id} does and audits that read once', async () => {
    const language = privateLanguage();
    const ticketId = await humanTicket(language, 'I want a real person, my card was charged twice. Call me on +44 20 7946 0958.');
    await app.deps.db.message.create({
      data: { ticketId, author: 'ai', internal: true, bodyEnc: app.deps.cipher.encrypt('Draft: refund the second charge.'), confidence: 0.3, sources: [{ slug: 'refunds' }] },
    });
    const agent = await buildAgent(app, admin, { languages: [language], capacity: 20 }, { available: true });

    const claim = await claimUntilMine(agent, [ticketId]);
    const read = await agent.client.get(`/v1/tickets/${ticketId}`);
    expect(read.status).toBe(200);
    expect(claim.body.ticket).toEqual(read.body);
    expect(claim.body.ticket).toMatchObject({ subject: 'Where is my order?', status: 'assigned', assignedAgentId: agent.id });
    expect(claim.body.ticket.decisions.length).toBeGreaterThan(0);

    const audits = await app.deps.db.auditLog.findMany({ where: { entity: 'ticket', entityId: ticketId, action: 'ticket.read_personal_data' } });
    const byClaim = audits.filter((a) => (a.detail as { via?: string }).via === 'claim');
    expect(byClaim).toHaveLength(1);
    expect(byClaim[0]).toMatchObject({ actorRole: 'agent', detail: { agentId: agent.id, via: 'claim' } });
  });

  test('when an agent changes anything but its status, then 403; an admin may change skills and capacity', async () => {
    const agent = await buildAgent(app, admin);
    expect((await agent.client.patch(`/v1/agents/${agent.id}`, { capacity: 50 })).status).toBe(403);
    const res = await admin.patch(`/v1/agents/${agent.id}`, { capacity: 5, skills: ['technical', 'billing', 'billing'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ capacity: 5, skills: ['billing', 'technical'], activeTickets: 0 });
    const listed = await apiClient(app.url, await createKey(admin, { role: 'supervisor' })).get('/v1/agents?limit=200');
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveProperty('nextCursor');
  });

  test('when the agent bodies are wrong, then 400 with the field paths', async () => {
    const bad = await admin.post('/v1/agents', { name: '', email: 'nope', skills: ['Billing!'], languages: [], capacity: 0, extra: 1 });
    expect(bad.status).toBe(400);
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'email', 'skills.0', 'languages', 'capacity']));
    const agent = await buildAgent(app, admin);
    expect((await agent.client.patch(`/v1/agents/${agent.id}`, { status: 'busy' })).status).toBe(400);
    expect((await agent.client.patch(`/v1/agents/${agent.id}`, {})).status).toBe(400);
  });

  test('when someone other than the assigned agent replies, resolves or releases, then 403; a released ticket waits again', async () => {
    const language = privateLanguage();
    const [ticketId] = await insertQueuedTickets(app, { language });
    const holder = await buildAgent(app, admin, { languages: [language], capacity: 20 }, { available: true });
    const other = await buildAgent(app, admin, { languages: [language], capacity: 20 }, { available: true });
    await claimUntilMine(holder, [ticketId]);

    expect((await other.client.post(`/v1/tickets/${ticketId}/replies`, { body: 'hello' })).status).toBe(403);
    expect((await other.client.post(`/v1/tickets/${ticketId}/resolve`)).status).toBe(403);
    expect((await holder.client.post(`/v1/tickets/${ticketId}/replies`, { body: '   ' })).status).toBe(400);
    expect((await holder.client.post(`/v1/tickets/${ticketId}/release`, {})).status).toBe(400);
    expect((await holder.client.post(`/v1/tickets/${randomUUID()}/resolve`)).status).toBe(404);

    const released = await holder.client.post(`/v1/tickets/${ticketId}/release`, { reason: 'Needs someone who knows the old plan.' });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'human_queued', assignedAgentId: null });
    expect((await holder.client.post(`/v1/tickets/${ticketId}/resolve`)).status).toBe(403);

    await claimUntilMine(other, [ticketId]);
    const events = (await admin.get(`/v1/tickets/${ticketId}`)).body.events;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['human_queued', 'claimed', 'released', 'claimed']);
    expect(events[2]).toMatchObject({ agentId: holder.id, data: { reason: 'Needs someone who knows the old plan.' } });
  });

  test('when an admin replies, resolves or releases, then it acts for the agent who holds the ticket; a waiting ticket is a 409', async () => {
    const language = privateLanguage();
    const [ticketId] = await insertQueuedTickets(app, { language });
    // In a language no agent speaks, so it waits.
    const [waitingId] = await insertQueuedTickets(app, { language: privateLanguage() });
    const holder = await buildAgent(app, admin, { languages: [language], capacity: 20 }, { available: true });
    await claimUntilMine(holder, [ticketId]);

    const reply = await admin.post(`/v1/tickets/${ticketId}/replies`, { body: 'Looking into it now.' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ ticketId, author: 'agent', agentId: holder.id, body: 'Looking into it now.' });
    const released = await admin.post(`/v1/tickets/${ticketId}/release`, { reason: 'Wrong team.' });
    expect(released.body).toMatchObject({ status: 'human_queued', assignedAgentId: null });
    expect((await admin.post(`/v1/tickets/${ticketId}/replies`, { body: 'hello' })).status).toBe(409);
    expect((await admin.post(`/v1/tickets/${waitingId}/resolve`)).status).toBe(409);

    await claimUntilMine(holder, [ticketId]);
    expect((await admin.post(`/v1/tickets/${ticketId}/resolve`)).body).toMatchObject({ status: 'resolved' });
    expect((await admin.post(`/v1/tickets/${ticketId}/resolve`)).status).toBe(409);
    const detail = (await admin.get(`/v1/tickets/${ticketId}`)).body;
    expect(detail.firstRespondedAt).not.toBeNull();
    // The thread says the admin did it, for the agent who held the ticket.
    const byAdmin = { agentId: holder.id, data: expect.objectContaining({ adminKeyId: 'env-admin' }) };
    expect(detail.events.filter((e: { type: string }) => ['replied', 'released', 'resolved'].includes(e.type))).toEqual([
      expect.objectContaining({ type: 'replied', ...byAdmin }),
      expect.objectContaining({ type: 'released', ...byAdmin }),
      expect.objectContaining({ type: 'resolved', ...byAdmin }),
    ]);
  });

  test('when a human-routed ticket is claimed, then AI drafts and matching knowledge-base articles come with it as suggestions', async () => {
    const language = privateLanguage();
    const slug = `refund-${randomUUID()}`;
    await app.deps.db.kbArticle.createMany({
      data: [
        { slug, language, title: 'Refund for a double charge', body: 'If you were charged twice, we refund the duplicate charge within 5 days.', tags: ['refund', 'charged'] },
        { slug: `${slug}-other`, language, title: 'Change your avatar', body: 'Open settings and pick a picture.', tags: ['profile'] },
      ],
    });
    const ticketId = await humanTicket(language, 'I want a real person! I was charged twice, refund me. My email is ana@example.com');
    const draft = await app.deps.db.message.create({
      data: { ticketId, author: 'ai', internal: true, bodyEnc: app.deps.cipher.encrypt('Draft: we will refund the duplicate charge.'), confidence: 0.4 },
    });
    const agent = await buildAgent(app, admin, { languages: [language], capacity: 20 }, { available: true });
    const claim = await claimUntilMine(agent, [ticketId]);
    expect(claim.body.suggestions[0]).toMatchObject({ kind: 'ai_draft', suggestion: true, messageId: draft.id, body: 'Draft: we will refund the duplicate charge.' });
    const articles = claim.body.suggestions.filter((s: { kind: string }) => s.kind === 'kb_article');
    expect(articles[0]).toMatchObject({ slug, suggestion: true, title: 'Refund for a double charge' });
    expect(articles.map((a: { slug: string }) => a.slug)).not.toContain(`${slug}-other`);
  });

  test('when a customer writes other forms of an article\'s words, then the article is suggested all the same', async () => {
    const slug = `recalibrate-${randomUUID()}`;
    // English articles are indexed stemmed ("wobbl", "recalibr"); none of these forms appears as written below.
    await app.deps.db.kbArticle.create({
      data: { slug, language: 'en', title: 'Recalibrate a wobbly capacitor', body: 'A capacitor that wobbles needs recalibrating: hold the reset key.', tags: [] },
    });
    // Not stored as a waiting ticket: other files' agents who speak English would take it.
    const ticket = {
      language: 'en',
      subjectEnc: null,
      messages: [{ author: 'customer', internal: false, bodyEnc: app.deps.cipher.encrypt('My capacitors keep wobbling since I recalibrated them.') }],
    } as unknown as Parameters<typeof buildSuggestions>[1];

    const suggestions = await buildSuggestions(app.deps, ticket);
    expect(suggestions[0]).toMatchObject({ kind: 'kb_article', slug, language: 'en' });
  });
});
