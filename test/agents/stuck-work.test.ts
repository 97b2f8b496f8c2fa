import { apiClient, type ApiClient } from '../support/api-client';
import { buildAgent, claimMine, insertQueuedTickets, privateLanguage } from '../support/agents';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { eventually } from '../support/local-server';
import { sweepStuckAssignments } from '../../src/modules/agents';

describe('work that never gets stuck: the reply-timeout sweep', () => {
  let app: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
  });
  afterAll(() => app.close());

  /** Moves a ticket's assignment and messages into the past, as if the clock had run on. */
  async function age(ticketId: string, minutes: number) {
    const ms = minutes * 60_000;
    const t = await app.deps.db.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    await app.deps.db.ticket.update({ where: { id: ticketId }, data: { assignedAt: new Date(t.assignedAt!.getTime() - ms) } });
    await app.deps.db.$executeRaw`UPDATE messages SET created_at = created_at - make_interval(secs => ${ms / 1000}) WHERE ticket_id = ${ticketId}::uuid`;
  }

  const status = async (ticketId: string) => (await admin.get(`/v1/tickets/${ticketId}`)).body.status as string;

  /**
   * Sweeps until the ticket is back in the queue. Other test files run the same sweep on the shared database:
   * one may hold the ticket for a moment (a sweep skips locked rows) or return it first.
   */
  async function sweepUntilQueued(ticketId: string) {
    await eventually(async () => {
      await sweepStuckAssignments(app.deps);
      return (await status(ticketId)) === 'human_queued';
    });
  }

  test('when an assigned ticket has no agent reply within the timeout, then it returns to the queue ahead of its peers with a timed_out event', async () => {
    const language = privateLanguage();
    const [stuck, answered, fresh] = await insertQueuedTickets(app, { language, count: 3, dueInMinutes: 200 });
    const agent = await buildAgent(app, admin, { languages: [language], capacity: 30 }, { available: true });
    expect([await claimMine(agent, [stuck, answered, fresh]), await claimMine(agent, [answered, fresh]), await claimMine(agent, [fresh])]).toEqual([stuck, answered, fresh]);
    await agent.client.post(`/v1/tickets/${answered}/replies`, { body: 'Looking into it.' });
    await age(stuck, 16);
    await age(answered, 16);
    const [peer] = await insertQueuedTickets(app, { language, dueInMinutes: 100 });

    await sweepUntilQueued(stuck);

    const back = (await admin.get(`/v1/tickets/${stuck}`)).body;
    expect(back).toMatchObject({ status: 'human_queued', assignedAgentId: null });
    expect(back.events.at(-1)).toMatchObject({ type: 'timed_out', agentId: agent.id, data: { reason: 'no_agent_reply', timeoutSeconds: 900 } });
    expect(back.events.at(-1).data.waitedSeconds).toBeGreaterThanOrEqual(960);
    expect((await admin.get(`/v1/tickets/${answered}`)).body.status).toBe('assigned');
    expect((await admin.get(`/v1/tickets/${fresh}`)).body.status).toBe('assigned');
    expect((await agent.client.post(`/v1/tickets/${stuck}/replies`, { body: 'late' })).status).toBe(403);

    const next = await buildAgent(app, admin, { languages: [language], capacity: 30 }, { available: true });
    expect(await claimMine(next, [stuck, peer])).toBe(stuck);
    expect(await claimMine(next, [peer])).toBe(peer);
  });

  test('when the customer writes again after the agent replied, then the timeout counts from that message', async () => {
    const language = privateLanguage();
    const [ticketId] = await insertQueuedTickets(app, { language });
    const agent = await buildAgent(app, admin, { languages: [language], capacity: 30 }, { available: true });
    await claimMine(agent, [ticketId]);
    await agent.client.post(`/v1/tickets/${ticketId}/replies`, { body: 'Could you send the order number?' });
    await age(ticketId, 30);
    await app.deps.db.message.create({ data: { ticketId, author: 'customer', bodyEnc: app.deps.cipher.encrypt('It is A-1001.'), createdAt: new Date(Date.now() - 5 * 60_000) } });
    await sweepStuckAssignments(app.deps);
    expect(await status(ticketId)).toBe('assigned');

    await app.deps.db.$executeRaw`UPDATE messages SET created_at = created_at - interval '11 minutes' WHERE ticket_id = ${ticketId}::uuid AND author = 'customer'`;
    await sweepUntilQueued(ticketId);
  });

  test('when two sweeps run at once, then each stuck ticket is returned exactly once', async () => {
    const language = privateLanguage();
    const ids = await insertQueuedTickets(app, { language, count: 6 });
    const agent = await buildAgent(app, admin, { languages: [language], capacity: 30 }, { available: true });
    for (let i = 0; i < ids.length; i++) await claimMine(agent, ids);
    for (const id of ids) await age(id, 20);

    await Promise.all([sweepStuckAssignments(app.deps), sweepStuckAssignments(app.deps), sweepStuckAssignments(app.deps)]);

    // Another file's sweep may have been holding some of them: sweep again until all are back, still once each.
    const timedOut = await eventually(async () => {
      await sweepStuckAssignments(app.deps);
      const groups = await app.deps.db.ticketEvent.groupBy({ by: ['ticketId'], where: { ticketId: { in: ids }, type: 'timed_out' }, _count: true });
      return groups.length === ids.length && groups;
    });
    expect(timedOut.every((g) => g._count === 1)).toBe(true);
  });
});
