import { apiClient, type ApiClient } from '../support/api-client';
import { buildAgent, claimMine, insertQueuedTickets, privateLanguage, type TestAgent } from '../support/agents';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { eventually } from '../support/local-server';
import { ageWaitingTickets } from '../../src/modules/agents';

describe('POST /v1/agents/{id}/claim picks the right ticket', () => {
  let app: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
  });
  afterAll(() => app.close());

  const claim = async (agent: TestAgent) => agent.client.post(`/v1/agents/${agent.id}/claim`);
  const events = async (ticketId: string) => (await admin.get(`/v1/tickets/${ticketId}`)).body.events as { type: string; agentId: string | null; data: any }[];

  test('when several tickets wait, then they are claimed by priority, then earliest due time, then age', async () => {
    const language = privateLanguage();
    const [low] = await insertQueuedTickets(app, { language, priority: 'low', dueInMinutes: 30 });
    const [highLate] = await insertQueuedTickets(app, { language, priority: 'high', dueInMinutes: 50 });
    const [highEarly] = await insertQueuedTickets(app, { language, priority: 'high', dueInMinutes: 40 });
    const [normalOlder, normalNewer] = await insertQueuedTickets(app, { language, count: 2, priority: 'normal', dueInMinutes: 60 });
    const agent = await buildAgent(app, admin, { languages: [language], capacity: 30 }, { available: true });
    const mine = [low, highLate, highEarly, normalOlder, normalNewer];

    const order: string[] = [];
    for (let i = 0; i < 5; i++) order.push(await claimMine(agent, mine.filter((id) => !order.includes(id))));
    expect(order).toEqual([highEarly, highLate, normalOlder, normalNewer, low]);
  });

  test('when a ticket waits long past its due time, then it rises above fresher tickets of higher priority (aging)', async () => {
    const language = privateLanguage();
    const [fresh] = await insertQueuedTickets(app, { language, priority: 'high', dueInMinutes: 10 });
    const [overdue] = await insertQueuedTickets(app, { language, priority: 'normal', dueInMinutes: -65, queuedMinutesAgo: 5 });
    const agent = await buildAgent(app, admin, { languages: [language], capacity: 10 }, { available: true });

    // The sweep ages every overdue ticket of the shared database, skipping locked ones: another file's sweep may
    // hold this one for a moment, or age it first. Either way it ends aged.
    await eventually(async () => {
      await ageWaitingTickets(app.deps);
      return (await app.deps.db.ticket.findUniqueOrThrow({ where: { id: overdue } })).agingLevels > 0;
    });
    expect(await claimMine(agent, [overdue, fresh])).toBe(overdue);
    expect((await events(overdue)).find((e) => e.type === 'claimed')?.data).toMatchObject({ priority: 'normal', aging: { effectivePriority: 'urgent' } });
    expect(await claimMine(agent, [fresh])).toBe(fresh);
  });

  test('when more tickets wait past their due time than one aging statement takes, then the sweep ages all of them, most overdue first in the claim order', async () => {
    const language = privateLanguage();
    // Over two batches of the sweep (it ages 500 rows per statement, so that claims are not kept from a whole backlog at once).
    const backlog = await insertQueuedTickets(app, { language, count: 1_001, priority: 'normal', dueInMinutes: -65 });
    const agent = await buildAgent(app, admin, { languages: [language], capacity: 30 }, { available: true });

    await ageWaitingTickets(app.deps);
    // One run ages the whole backlog. Another file's sweep may hold a batch of it for a moment: it ages those itself.
    await eventually(async () => (await app.deps.db.ticket.count({ where: { id: { in: backlog }, agingLevels: 0 } })) === 0, 5_000);
    expect(await app.deps.db.ticket.count({ where: { id: { in: backlog }, agingLevels: 2 } })).toBe(backlog.length);
    expect(await claimMine(agent, backlog)).toBe(backlog[0]);
    expect((await events(backlog[0])).find((e) => e.type === 'claimed')?.data).toMatchObject({ priority: 'normal', aging: { effectivePriority: 'urgent' } });
  });

  test('when nobody with the exact skills took a ticket within the overflow time, then an agent with the language takes it and the reason is recorded', async () => {
    const language = privateLanguage();
    const [fresh] = await insertQueuedTickets(app, { language, skills: ['legal'] });
    const agent = await buildAgent(app, admin, { languages: [language], skills: ['billing'], capacity: 10 }, { available: true });
    const none = await claim(agent);
    if (none.status === 200) expect(none.body.ticket.id).not.toBe(fresh);
    else expect(none.status).toBe(204);

    const [waited] = await insertQueuedTickets(app, { language, skills: ['billing', 'legal'], queuedMinutesAgo: 11 });
    expect(await claimMine(agent, [waited, fresh])).toBe(waited);
    const claimed = (await events(waited)).find((e) => e.type === 'claimed');
    expect(claimed?.data.overflow).toMatchObject({ missingSkills: ['legal'], reason: expect.stringContaining('legal') });
    expect(claimed?.data.overflow.waitedSeconds).toBeGreaterThanOrEqual(660);
  });

  test('when the agent is at capacity, then the claim is 204 and says so; a resolve makes room again', async () => {
    const language = privateLanguage();
    await insertQueuedTickets(app, { language, count: 2 });
    const agent = await buildAgent(app, admin, { languages: [language], capacity: 1 }, { available: true });
    const first = await claim(agent);
    expect(first.status).toBe(200);
    const full = await claim(agent);
    expect(full.status).toBe(204);
    expect(full.headers.get('x-handoff-claim')).toBe('at_capacity');
    await agent.client.post(`/v1/tickets/${first.body.ticket.id}/resolve`);
    expect((await claim(agent)).status).toBe(200);
  });

  test('when an agent goes offline, then its unanswered tickets return ahead of their peers and its answered ones stay', async () => {
    const language = privateLanguage();
    const [held, answered] = await insertQueuedTickets(app, { language, count: 2, dueInMinutes: 200 });
    const agent = await buildAgent(app, admin, { languages: [language], capacity: 30 }, { available: true });
    expect(await claimMine(agent, [held, answered])).toBe(held);
    expect(await claimMine(agent, [answered])).toBe(answered);
    await agent.client.post(`/v1/tickets/${answered}/replies`, { body: 'On it.' });
    const [peer] = await insertQueuedTickets(app, { language, dueInMinutes: 100 });

    const offline = await agent.client.patch(`/v1/agents/${agent.id}`, { status: 'offline' });
    expect(offline.status).toBe(200);
    expect(offline.body).toMatchObject({ status: 'offline', activeTickets: expect.any(Number) });
    expect((await admin.get(`/v1/tickets/${answered}`)).body.status).toBe('assigned');
    const back = await admin.get(`/v1/tickets/${held}`);
    expect(back.body).toMatchObject({ status: 'human_queued', assignedAgentId: null });
    expect(back.body.events.at(-1)).toMatchObject({ type: 'requeued', agentId: agent.id, data: { reason: 'agent_offline' } });

    const next = await buildAgent(app, admin, { languages: [language], capacity: 30 }, { available: true });
    expect(await claimMine(next, [held, peer])).toBe(held);
    expect((await events(held)).at(-1)?.data).toMatchObject({ requeued: true });
    expect(await claimMine(next, [peer])).toBe(peer);
  });

  test('when a ticket is transferred, then it goes only to an eligible agent, or back to the queue with the skill it needs', async () => {
    const language = privateLanguage();
    const [ticketId] = await insertQueuedTickets(app, { language, skills: ['billing'] });
    const a = await buildAgent(app, admin, { languages: [language], skills: ['billing'], capacity: 30 }, { available: true });
    const b = await buildAgent(app, admin, { languages: [language], skills: ['billing'], capacity: 30 });
    const c = await buildAgent(app, admin, { languages: [language], skills: [] }, { available: true });
    expect(await claimMine(a, [ticketId])).toBe(ticketId);

    expect((await a.client.post(`/v1/tickets/${ticketId}/transfer`, {})).status).toBe(400);
    expect((await a.client.post(`/v1/tickets/${ticketId}/transfer`, { agentId: b.id, skill: 'legal' })).status).toBe(400);
    const offline = await a.client.post(`/v1/tickets/${ticketId}/transfer`, { agentId: b.id });
    expect(offline.status).toBe(409);
    expect(offline.body.detail).toContain('offline');
    const unskilled = await a.client.post(`/v1/tickets/${ticketId}/transfer`, { agentId: c.id });
    expect(unskilled.status).toBe(409);
    expect(unskilled.body.detail).toContain("lacks the skill 'billing'");
    expect((await c.client.post(`/v1/tickets/${ticketId}/transfer`, { skill: 'legal' })).status).toBe(403);

    await b.client.patch(`/v1/agents/${b.id}`, { status: 'available' });
    const handed = await a.client.post(`/v1/tickets/${ticketId}/transfer`, { agentId: b.id, reason: 'Knows this customer.' });
    expect(handed.status).toBe(200);
    expect(handed.body).toMatchObject({ status: 'assigned', assignedAgentId: b.id });

    const queued = await b.client.post(`/v1/tickets/${ticketId}/transfer`, { skill: 'legal' });
    expect(queued.status).toBe(200);
    expect(queued.body).toMatchObject({ status: 'human_queued', assignedAgentId: null, skills: ['billing', 'legal'] });
    const claimByA = await claim(a);
    if (claimByA.status === 200) expect(claimByA.body.ticket.id).not.toBe(ticketId);
    const transfers = (await events(ticketId)).filter((e) => e.type === 'transferred');
    expect(transfers.map((e) => e.data)).toEqual([
      { from: a.id, to: b.id, reason: 'Knows this customer.' },
      { from: b.id, skill: 'legal', reason: null },
    ]);

    // An admin may move a waiting ticket too; the event names the admin key that did.
    const moved = await admin.post(`/v1/tickets/${ticketId}/transfer`, { skill: 'technical' });
    expect(moved.body).toMatchObject({ status: 'human_queued', skills: ['billing', 'legal', 'technical'] });
    expect((await events(ticketId)).filter((e) => e.type === 'transferred').at(-1)).toMatchObject({ agentId: null, data: { from: null, skill: 'technical', adminKeyId: 'env-admin' } });
  });

  test('when an agent had three high-distress tickets in a row and another agent could take the next, then it rotates to that agent', async () => {
    const language = privateLanguage();
    // Urgent, handed back once and long overdue, so that no ticket of unknown language from another test file comes first.
    const distressing = await insertQueuedTickets(app, { language, count: 4, priority: 'urgent', requeued: true, aged: true, dueInMinutes: -100_000, flags: ['bereavement_or_health'] });
    const [routine] = await insertQueuedTickets(app, { language, priority: 'urgent', requeued: true, aged: true, dueInMinutes: -99_000, sentiment: 0.2 });
    const a = await buildAgent(app, admin, { languages: [language], capacity: 10 }, { available: true });
    const b = await buildAgent(app, admin, { languages: [language], capacity: 10 }, { available: true });

    for (let i = 0; i < 3; i++) expect((await claim(a)).body.ticket.id).toBe(distressing[i]);
    expect((await events(distressing[2])).at(-1)?.data).toMatchObject({ distressing: true, distressStreak: 3 });
    expect((await claim(a)).body.ticket.id).toBe(routine);
    expect((await claim(b)).body.ticket.id).toBe(distressing[3]);
    const fourth = await events(distressing[3]);
    expect(fourth.map((e) => e.type)).toEqual(['human_queued', 'wellbeing_rotation', 'claimed']);
    expect(fourth[1]).toMatchObject({ agentId: a.id, data: { streak: 3, limit: 3 } });
  });

  test('when no other agent could take a high-distress ticket, then the agent at its limit still gets it and that is recorded', async () => {
    const language = privateLanguage();
    const distressing = await insertQueuedTickets(app, { language, count: 4, priority: 'urgent', requeued: true, aged: true, dueInMinutes: -100_000, flags: ['safety'] });
    const a = await buildAgent(app, admin, { languages: [language], capacity: 10 }, { available: true });
    for (let i = 0; i < 4; i++) expect((await claim(a)).body.ticket.id).toBe(distressing[i]);
    expect((await events(distressing[3])).at(-1)?.data).toMatchObject({ distressStreak: 4, wellbeing: { streak: 3, limit: 3 } });
  });
});
