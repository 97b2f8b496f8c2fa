import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { readTicketForAnswer, saveAnswer } from '../../src/modules/ai/answer-store';
import { aiDisclosure } from '../../src/modules/ai';

// The AI worker's single-statement write: everything of an answer is stored together or not at all.
describe('storing an AI answer', () => {
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
});
