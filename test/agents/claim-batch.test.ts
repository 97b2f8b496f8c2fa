import { apiClient, type ApiClient } from '../support/api-client';
import { buildAgent, insertQueuedTickets, privateLanguage } from '../support/agents';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { claimTicket } from '../../src/modules/agents';
import type { ClaimOutcome } from '../../src/modules/agents/claim-ticket';
import { buildSuggestions } from '../../src/modules/agents/agent-assist';

/**
 * Claims that arrive together share one call of claim_tickets. These start them in the same moment
 * through one app's claimTicket, so they share a batch, and check that each claim still behaves as if it
 * had been alone, one after the other in arrival order.
 */
describe('claims that arrive together', () => {
  let app: TestApp;
  let admin: ApiClient;
  const actor = { keyId: 'test:claim-batch', role: 'agent' as const };

  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
  });
  afterAll(() => app.close());

  const claimedId = (o: ClaimOutcome) => (o.claimed ? o.ticket.id : `not claimed: ${o.reason}`);

  /**
   * Overdue, urgent and handed back once, so these rank ahead of any ticket another test file queued in
   * the unknown language ('und', which fits every agent), and among themselves by due time.
   */
  async function rankedTickets(language: string, count: number) {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.push(...(await insertQueuedTickets(app, { language, priority: 'urgent', requeued: true, aged: true, dueInMinutes: -30_000 + i * 1_000 })));
    }
    return ids;
  }

  test('when several agents claim in the same moment, then the best ticket goes to the claim that arrived first, and so on', async () => {
    const language = privateLanguage();
    const [first, second, third] = await rankedTickets(language, 3);
    const agents = await Promise.all(Array.from({ length: 3 }, () => buildAgent(app, admin, { languages: [language], capacity: 5 }, { available: true })));
    // Not in id order: the batch must keep arrival order rather than the order it locks agents in.
    const arrival = [...agents].sort((a, b) => b.id.localeCompare(a.id));

    const outcomes = await Promise.all(arrival.map((agent) => claimTicket(app.deps, agent.id, actor)));
    expect(outcomes.map(claimedId)).toEqual([first, second, third]);
  });

  test('when one agent sends more claims in the same moment than it has room for, then it gets its capacity and the rest are at_capacity', async () => {
    const language = privateLanguage();
    await rankedTickets(language, 4);
    const agent = await buildAgent(app, admin, { languages: [language], capacity: 2 }, { available: true });

    const outcomes = await Promise.all(Array.from({ length: 4 }, () => claimTicket(app.deps, agent.id, actor)));
    expect(outcomes.map((o) => o.claimed)).toEqual([true, true, false, false]);
    expect(outcomes.slice(2)).toEqual([
      { claimed: false, reason: 'at_capacity' },
      { claimed: false, reason: 'at_capacity' },
    ]);
    expect(await app.deps.db.ticket.count({ where: { assignedAgentId: agent.id, status: 'assigned' } })).toBe(2);
  });

  test('when one claim of a batch fails in the database, then the others still claim, and the failed one leaves no trace', async () => {
    const language = privateLanguage();
    const tickets = await rankedTickets(language, 4);
    const agents = await Promise.all(Array.from({ length: 4 }, () => buildAgent(app, admin, { languages: [language], capacity: 5 }, { available: true })));
    // Postgres refuses a NUL character in text: this claim's audit entry cannot be written, so the statement fails.
    const actors = agents.map((_, i) => (i === 1 ? { keyId: 'test:\u0000', role: 'agent' as const } : actor));

    const settled = await Promise.allSettled(agents.map((agent, i) => claimTicket(app.deps, agent.id, actors[i])));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    // Retried one by one in arrival order, so the failed claim's locks are gone before the next one looks.
    const claimed = settled.map((s) => (s.status === 'fulfilled' ? claimedId(s.value) : 'failed'));
    expect(claimed).toEqual([tickets[0], 'failed', tickets[1], tickets[2]]);

    expect(await app.deps.db.ticket.count({ where: { assignedAgentId: agents[1].id } })).toBe(0);
    const claimedEvents = await app.deps.db.ticketEvent.findMany({ where: { ticketId: { in: tickets }, type: 'claimed' } });
    expect(claimedEvents.map((e) => e.agentId).sort()).toEqual([agents[0].id, agents[2].id, agents[3].id].sort());
    const audits = await app.deps.db.auditLog.findMany({ where: { entity: 'ticket', entityId: { in: tickets }, action: 'ticket.read_personal_data' } });
    expect(audits.map((a) => a.entityId).sort()).toEqual(tickets.slice(0, 3).sort());
    expect(await app.deps.db.ticket.findUnique({ where: { id: tickets[3] }, select: { status: true } })).toEqual({ status: 'human_queued' });
  });

  test('when claims search the knowledge base together, then each gets the articles its own search finds alone', async () => {
    const texts = [
      { body: 'I was charged twice for my subscription, please refund the duplicate payment.', topics: ['refund the duplicate charge', 'change your avatar'] },
      { body: 'I cannot log in since the password reset, the login page rejects my password.', topics: ['reset your password to log in', 'cancel a subscription'] },
      { body: 'My parcel never arrived and the tracking has not moved for ten days.', topics: ['a parcel that never arrived', 'refund the duplicate charge'] },
    ];
    const tickets: Parameters<typeof buildSuggestions>[1][] = [];
    for (const text of texts) {
      const language = privateLanguage();
      await app.deps.db.kbArticle.createMany({
        data: text.topics.map((topic, i) => ({ slug: `${language}-${i}-${Date.now()}`, language, title: topic, body: `How to ${topic}: ${text.body}`.slice(0, i ? 40 : 200), tags: [] })),
      });
      const [id] = await insertQueuedTickets(app, { language, body: text.body });
      tickets.push((await app.deps.db.ticket.findUnique({ where: { id }, include: { messages: true } }))!);
    }

    const together = await Promise.all(tickets.map((t) => buildSuggestions(app.deps, t)));
    const alone = [];
    for (const t of tickets) alone.push(await buildSuggestions(app.deps, t));
    expect(together).toEqual(alone);
    together.forEach((suggestions, i) => {
      expect(suggestions.length).toBeGreaterThan(0);
      expect(suggestions.every((s) => s.kind === 'kb_article' && s.language === tickets[i].language)).toBe(true);
    });
  });
});
