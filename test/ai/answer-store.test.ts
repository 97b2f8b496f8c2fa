import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { readTicketForAnswer, saveAnswer } from '../../src/modules/ai/answer-store';
import { aiDisclosure, escalateToHuman } from '../../src/modules/ai';

// The AI worker's single-statement writes: everything of an answer, or of an escalation to a person
// (the move, its decision and event, the AI's internal draft, the customer's notice and its outbox
// row), is stored together or not at all.
describe('storing an AI answer or an escalation', () => {
  let app: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
  });
  afterAll(async () => {
    await app.close();
  });

  const queuedTicket = async (extra: Record<string, unknown> = {}) => {
    const posted = await admin.post('/v1/tickets', buildTicket({ subject: 'Password', body: 'How do I reset my password?', ...extra }));
    expect(posted.body.status).toBe('ai_queued');
    return (await readTicketForAnswer(app.deps.pool, posted.body.id))!;
  };
  const answer = (review: 'near_threshold' | null) => ({
    text: 'Reset your password from the sign-in page.',
    confidence: 0.61,
    sources: [{ id: '00000000-0000-4000-8000-000000000001', slug: 'reset-password', title: 'Reset your password', language: 'en' }],
    provider: 'kb',
    disclosure: aiDisclosure('en'),
    review,
  });
  const stored = async (ticketId: string) => ({
    ticket: await app.deps.db.ticket.findUniqueOrThrow({ where: { id: ticketId } }),
    messages: await app.deps.db.message.findMany({ where: { ticketId, author: 'ai' } }),
    events: await app.deps.db.ticketEvent.findMany({ where: { ticketId, type: 'ai_answered' } }),
    reviews: await app.deps.db.aiReview.findMany({ where: { ticketId } }),
    deliveries: await app.deps.db.delivery.findMany({ where: { ticketId } }),
  });

  test('when the ticket is unchanged since it was read, then the answer (encrypted), its event, review pick and outbox row are stored with the move', async () => {
    const ticket = await queuedTicket({ callbackUrl: 'http://127.0.0.1:9/hooks' });
    expect(ticket.messages).toEqual([expect.objectContaining({ author: 'customer', internal: false })]);
    const now = new Date();
    const saved = await saveAnswer(app.deps.pool, app.deps.cipher, ticket, answer('near_threshold'), now);

    const after = await stored(ticket.id);
    expect(after.ticket).toMatchObject({ status: 'ai_answered', aiTurns: 1, aiAnsweredAt: now, firstRespondedAt: now, updatedAt: now });
    const [message] = after.messages;
    expect(message).toMatchObject({ disclosure: aiDisclosure('en'), confidence: 0.61, internal: false, sources: answer(null).sources });
    expect(message.bodyEnc).not.toContain('Reset');
    expect(app.deps.cipher.decrypt(message.bodyEnc!)).toBe(answer(null).text);
    expect(after.events).toEqual([expect.objectContaining({ data: { provider: 'kb', confidence: 0.61, sources: ['reset-password'] } })]);
    expect(after.reviews).toEqual([expect.objectContaining({ messageId: message.id, reason: 'near_threshold', confidence: 0.61 })]);
    expect(after.deliveries).toHaveLength(1);
    const [delivery] = after.deliveries;
    expect(saved).toEqual({ deliveryId: delivery.id });
    expect(delivery).toMatchObject({ status: 'pending', messageId: message.id, url: 'http://127.0.0.1:9/hooks', attempts: 0 });
    expect(JSON.parse(app.deps.cipher.decrypt(delivery.payloadEnc!))).toEqual({
      event: 'ticket.message',
      ticketId: ticket.id,
      source: ticket.source,
      externalId: ticket.externalId,
      message: { id: message.id, author: 'ai', body: answer(null).text, disclosure: aiDisclosure('en'), createdAt: now.toISOString() },
    });
  });

  test('when the ticket changed after it was read, then nothing is stored and the ticket stays queued', async () => {
    const ticket = await queuedTicket({ callbackUrl: 'http://127.0.0.1:9/hooks' });
    // What a follow-up landing between the read and the write does to the ticket.
    await app.deps.db.ticket.update({ where: { id: ticket.id }, data: { updatedAt: new Date(ticket.updatedAt.getTime() + 1000) } });
    expect(await saveAnswer(app.deps.pool, app.deps.cipher, ticket, answer('near_threshold'), new Date())).toBeNull();

    const after = await stored(ticket.id);
    expect(after.ticket).toMatchObject({ status: 'ai_queued', aiTurns: 0, aiAnsweredAt: null });
    expect([after.messages, after.events, after.reviews, after.deliveries]).toEqual([[], [], [], []]);
  });

  test('when the same read is saved twice, then only the first stores an answer', async () => {
    const ticket = await queuedTicket();
    const [first, second] = await Promise.all([
      saveAnswer(app.deps.pool, app.deps.cipher, ticket, answer(null), new Date()),
      saveAnswer(app.deps.pool, app.deps.cipher, ticket, answer(null), new Date()),
    ]);
    expect([first, second].filter((s) => s !== null)).toEqual([{ deliveryId: null }]);
    const after = await stored(ticket.id);
    expect(after.messages).toHaveLength(1);
    expect(after.events).toHaveLength(1);
    expect(after.reviews).toEqual([]);
    // No callback URL: nothing to deliver.
    expect(after.deliveries).toEqual([]);
  });

  const offTopicTicket = async () => {
    const posted = await admin.post('/v1/tickets', buildTicket({ subject: 'Lasagne', body: 'Can you recommend a lasagne recipe?', callbackUrl: 'http://127.0.0.1:9/hooks' }));
    expect(posted.body.status).toBe('ai_queued');
    return (await readTicketForAnswer(app.deps.pool, posted.body.id))!;
  };
  const lowConfidence = { code: 'AI_LOW_CONFIDENCE' as const, detail: 'The AI was not confident enough (0.21).' };
  const draft = { text: 'Maybe try a classic bolognese lasagne?', confidence: 0.21, sources: [{ id: '00000000-0000-4000-8000-000000000002', slug: 'recipes', title: 'Recipes', language: 'en' }] };

  test('when the ticket is unchanged since it was read, then it waits for a person with new due times, the reason, the draft kept internal and the customer told by when', async () => {
    const ticket = await offTopicTicket();
    const before = Date.now();
    expect(await escalateToHuman(app.deps, { reason: lowConfidence, ticket, from: ['ai_queued'], draft })).toBe(true);

    const row = await app.deps.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(row).toMatchObject({ status: 'human_queued', route: 'human', assignedAgentId: null, escalatedAfterAi: false });
    expect(row.reasons).toEqual([...(ticket.reasons as object[]), lowConfidence]);
    // A person's first-response target, counted from the escalation, replaces the AI's promise.
    expect(row.queuedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(row.firstResponseDueAt!.getTime()).toBeGreaterThan(row.queuedAt.getTime());
    expect(row.firstResponseDueAt).not.toEqual(ticket.firstResponseDueAt);

    const decisions = await app.deps.db.decision.findMany({ where: { ticketId: ticket.id, trigger: 'ai' } });
    expect(decisions).toEqual([expect.objectContaining({ route: 'human', priority: ticket.priority, language: ticket.language, reasons: [lowConfidence] })]);
    const events = await app.deps.db.ticketEvent.findMany({ where: { ticketId: ticket.id, type: 'human_queued' } });
    expect(events.map((e) => e.data)).toEqual([{ trigger: 'ai', from: 'ai_queued', reason: 'AI_LOW_CONFIDENCE' }]);

    const messages = await app.deps.db.message.findMany({ where: { ticketId: ticket.id }, orderBy: { createdAt: 'asc' } });
    expect(messages.map((m) => [m.author, m.internal])).toEqual([['customer', false], ['ai', true], ['system', false]]);
    const [, aiDraft, notice] = messages;
    expect(aiDraft.bodyEnc).not.toContain('lasagne');
    expect(app.deps.cipher.decrypt(aiDraft.bodyEnc!)).toBe(draft.text);
    expect(aiDraft).toMatchObject({ confidence: 0.21, sources: draft.sources });
    const noticeText = app.deps.cipher.decrypt(notice.bodyEnc!);
    expect(noticeText).toMatch(/member of our team will reply by/);
    expect(notice.createdAt.getTime()).toBe(aiDraft.createdAt.getTime() + 1);

    const deliveries = await app.deps.db.delivery.findMany({ where: { ticketId: ticket.id } });
    expect(deliveries).toEqual([expect.objectContaining({ messageId: notice.id, status: 'pending', url: 'http://127.0.0.1:9/hooks', attempts: 0 })]);
    expect(JSON.parse(app.deps.cipher.decrypt(deliveries[0].payloadEnc!))).toEqual({
      event: 'ticket.message',
      ticketId: ticket.id,
      source: ticket.source,
      externalId: ticket.externalId,
      message: { id: notice.id, author: 'system', body: noticeText, createdAt: notice.createdAt.toISOString() },
    });
  });

  test('when the same read escalates twice at once, or after the ticket changed, then only one escalation is stored', async () => {
    const ticket = await offTopicTicket();
    const results = await Promise.all([
      escalateToHuman(app.deps, { reason: lowConfidence, ticket, from: ['ai_queued'], draft }),
      escalateToHuman(app.deps, { reason: lowConfidence, ticket, from: ['ai_queued'], draft }),
    ]);
    expect(results.sort()).toEqual([false, true]);
    expect(await escalateToHuman(app.deps, { reason: lowConfidence, ticket, from: ['ai_queued'] })).toBe(false);

    const row = await app.deps.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect((row.reasons as { code: string }[]).filter((r) => r.code === 'AI_LOW_CONFIDENCE')).toHaveLength(1);
    expect(await app.deps.db.decision.count({ where: { ticketId: ticket.id, trigger: 'ai' } })).toBe(1);
    expect(await app.deps.db.message.count({ where: { ticketId: ticket.id } })).toBe(3);
    expect(await app.deps.db.delivery.count({ where: { ticketId: ticket.id } })).toBe(1);
  });

  test('when the ticket has no callback and no draft, then the move and the notice are stored with no outbox row', async () => {
    const posted = await admin.post('/v1/tickets', buildTicket({ subject: 'Lasagne', body: 'Can you recommend a lasagne recipe?' }));
    const ticket = (await readTicketForAnswer(app.deps.pool, posted.body.id))!;
    expect(await escalateToHuman(app.deps, { reason: lowConfidence, ticket, from: ['ai_queued'] })).toBe(true);
    const messages = await app.deps.db.message.findMany({ where: { ticketId: ticket.id } });
    expect(messages.map((m) => m.author).sort()).toEqual(['customer', 'system']);
    expect(await app.deps.db.delivery.count({ where: { ticketId: ticket.id } })).toBe(0);
  });
});
