import type { Ticket } from '@prisma/client';
import { apiClient, type ApiClient } from '../support/api-client';
import { buildAgent, privateLanguage } from '../support/agents';
import { createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { insertTicket, percentileCont, prng } from '../support/ticket-factory';

// A week no other test file writes into; the skill names carry a per-run suffix, so only this run's rows match them.
const FROM = new Date('2012-06-04T00:00:00Z');
const TO = new Date('2012-06-11T00:00:00Z');
const LENGTH = TO.getTime() - FROM.getTime();
const PREVIOUS_FROM = new Date(FROM.getTime() - LENGTH);
const MIN = 60_000;
const HOUR = 3_600_000;
const at = (iso: string) => new Date(`${iso}Z`);

const suffix = Array.from({ length: 6 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');
const BILLING = `billing_${suffix}`;
const LEGAL = `legal_${suffix}`;
const TECH = `technical_${suffix}`;
const OLD = `retired_${suffix}`;

type Status = 'available' | 'away' | 'offline';
interface Change { agent: number; status: Status; skills: string[]; at: Date }

/**
 * Availability history, written straight into agent_status_changes. Agent 0 was available before the
 * window with a break inside it; agent 1's history starts inside the window (time before it is
 * unknown) and it gains a skill midway; agent 2 is available across the whole window.
 */
const CHANGES: Change[] = [
  { agent: 0, status: 'offline', skills: [BILLING], at: at('2012-05-20T08:00:00') },
  { agent: 0, status: 'available', skills: [BILLING], at: at('2012-06-01T09:00:00') },
  { agent: 0, status: 'away', skills: [BILLING], at: at('2012-06-05T10:20:00') },
  { agent: 0, status: 'available', skills: [BILLING], at: at('2012-06-05T11:50:00') },
  { agent: 0, status: 'offline', skills: [BILLING], at: at('2012-06-07T17:05:00') },
  { agent: 1, status: 'available', skills: [BILLING, LEGAL], at: at('2012-06-06T08:15:00') },
  { agent: 1, status: 'offline', skills: [BILLING, LEGAL], at: at('2012-06-06T17:45:00') },
  { agent: 1, status: 'available', skills: [BILLING, LEGAL, TECH], at: at('2012-06-08T09:00:00') },
  { agent: 1, status: 'offline', skills: [BILLING, LEGAL, TECH], at: at('2012-06-08T12:20:00') },
  { agent: 2, status: 'available', skills: [TECH], at: at('2012-05-01T00:00:00') },
  // After the window: never counted.
  { agent: 2, status: 'offline', skills: [TECH], at: at('2012-06-12T00:00:00') },
];

/** Supply computed independently: each change holds until the agent's next, clipped to the window, cut into UTC hours. */
function expectedSupply() {
  const bySkill = new Map<string, { hours: number; byHour: number[]; agents: Set<number> }>();
  for (const [i, c] of CHANGES.entries()) {
    const next = CHANGES.slice(i + 1).find((n) => n.agent === c.agent);
    const start = Math.max(c.at.getTime(), FROM.getTime());
    const end = Math.min(next ? next.at.getTime() : TO.getTime(), TO.getTime());
    if (c.status !== 'available' || end <= start) continue;
    for (const skill of c.skills) {
      const s = bySkill.get(skill) ?? { hours: 0, byHour: Array<number>(24).fill(0), agents: new Set<number>() };
      for (let t = start; t < end; ) {
        const hourEnd = Math.min(end, Math.floor(t / HOUR) * HOUR + HOUR);
        s.byHour[new Date(t).getUTCHours()] += (hourEnd - t) / HOUR;
        s.hours += (hourEnd - t) / HOUR;
        t = hourEnd;
      }
      s.agents.add(c.agent);
      bySkill.set(skill, s);
    }
  }
  return bySkill;
}

interface Seeded { ticket: Ticket; overflowSkills: string[] }

describe('GET /v1/stats/skills', () => {
  let app: TestApp;
  let admin: ApiClient;
  let supervisor: ApiClient;
  const seeded: Seeded[] = [];
  const qs = `from=${FROM.toISOString()}&to=${TO.toISOString()}`;

  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
    supervisor = apiClient(app.url, await createKey(admin, { role: 'supervisor' }));
    const db = app.deps.db;
    const agentIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const a = await db.agent.create({ data: { name: `Skills ${i}-${suffix}`, email: 's@example.com', skills: [], languages: ['en'], capacity: 3, status: 'offline' } });
      agentIds.push(a.id);
    }
    for (const c of CHANGES) {
      await db.agentStatusChange.create({ data: { agentId: agentIds[c.agent], status: c.status, skills: c.skills, changedAt: c.at } });
    }

    // A language no agent of any other test speaks, so no claim elsewhere takes these waiting tickets.
    const language = privateLanguage();
    const rand = prng(20120604);
    const skillSets = [[BILLING], [LEGAL], [BILLING, LEGAL], [BILLING], [LEGAL, TECH]];
    for (let i = 0; i < 80; i++) {
      const previous = i % 4 === 3;
      const createdAt = new Date((previous ? PREVIOUS_FROM : FROM).getTime() + Math.floor(rand() * (LENGTH / MIN - 600)) * MIN);
      const skills = skillSets[Math.floor(rand() * skillSets.length)];
      const aiRouted = rand() < (skills.includes(LEGAL) ? 0.2 : previous ? 0.3 : 0.6);
      const kind = rand();
      const base = { createdAt, language, skills, initialRoute: aiRouted ? ('ai' as const) : ('human' as const) };
      if (aiRouted && kind < 0.6) {
        const answeredAt = new Date(createdAt.getTime() + 2 * MIN);
        seeded.push({ ticket: await insertTicket(db, { ...base, route: 'ai', status: 'ai_answered', aiAnsweredAt: answeredAt, firstRespondedAt: answeredAt }), overflowSkills: [] });
        continue;
      }
      // Human from intake, or escalated after an AI answer: the human queue starts at escalation.
      const queuedAt = aiRouted ? new Date(createdAt.getTime() + Math.floor(rand() * 90 + 5) * MIN) : createdAt;
      const waitMin = Math.floor(rand() * 50) + 1;
      const assignedAt = new Date(queuedAt.getTime() + waitMin * MIN + Math.floor(rand() * 60) * 1000);
      const respondedAt = new Date(assignedAt.getTime() + Math.floor(rand() * 30 + 1) * MIN);
      const common = { ...base, route: 'human' as const, queuedAt, ...(aiRouted ? { escalatedAfterAi: true, aiAnsweredAt: queuedAt } : {}) };
      const agentId = agentIds[i % 2];
      let ticket: Ticket;
      if (kind < 0.15) {
        ticket = await insertTicket(db, { ...common, status: 'human_queued' });
      } else if (kind < 0.25) {
        // Claimed, not answered yet: a reply message keeps the stuck-work sweep of other test files away from it.
        ticket = await insertTicket(db, { ...common, status: 'assigned', assignedAgentId: agentId, assignedAt });
        await db.message.create({ data: { ticketId: ticket.id, author: 'agent', agentId, createdAt: new Date(Date.now() + 3_600_000) } });
      } else if (kind < 0.32) {
        // A follow-up put it back in the queue after an earlier agent reply: that reply is no first response to this wait.
        ticket = await insertTicket(db, { ...common, status: 'resolved', assignedAgentId: agentId, assignedAt, humanRespondedAt: new Date(queuedAt.getTime() - 30 * MIN), resolvedAt: respondedAt });
      } else {
        ticket = await insertTicket(db, { ...common, status: 'resolved', assignedAgentId: agentId, assignedAt, humanRespondedAt: respondedAt, firstRespondedAt: respondedAt, resolvedAt: new Date(respondedAt.getTime() + 10 * MIN) });
      }
      let overflowSkills: string[] = [];
      if (ticket.assignedAt) {
        // Every third claim went to an agent lacking the ticket's first skill (the overflow rule), recorded as the claim records it.
        overflowSkills = i % 3 === 0 ? [skills[0]] : [];
        await db.ticketEvent.create({
          data: { ticketId: ticket.id, type: 'claimed', agentId, createdAt: ticket.assignedAt,
            data: { priority: 'normal', ...(overflowSkills.length ? { overflow: { missingSkills: overflowSkills, waitedSeconds: 1, reason: 'seeded' } } : {}) } },
        });
      }
      seeded.push({ ticket, overflowSkills });
    }
    // A skill seen only in the previous period: nothing to report for this window.
    await insertTicket(db, { createdAt: new Date(PREVIOUS_FROM.getTime() + HOUR), language, skills: [OLD], route: 'ai', status: 'ai_answered', initialRoute: 'ai' });
    // Outside both periods: never counted.
    await insertTicket(db, { createdAt: new Date(TO.getTime() + HOUR), language, skills: [BILLING], status: 'human_queued' });
    await insertTicket(db, { createdAt: new Date(PREVIOUS_FROM.getTime() - HOUR), language, skills: [BILLING], status: 'human_queued' });
  });
  afterAll(() => app.close());

  test('when a supervisor asks for a week, then every figure per skill matches the seeded history', async () => {
    const r = await supervisor.get(`/v1/stats/skills?${qs}`);
    expect(r.status).toBe(200);
    const target = app.config.agents.overflowAfterMinutes * 60;
    expect(r.body).toMatchObject({ from: FROM.toISOString(), to: TO.toISOString(), previousFrom: PREVIOUS_FROM.toISOString(), waitTargetSeconds: target });

    const mine = (r.body.skills as { skill: string }[]).filter((s) => s.skill.endsWith(`_${suffix}`)).map((s) => s.skill);
    expect(mine).toEqual([BILLING, LEGAL, TECH]);
    const supply = expectedSupply();
    const share = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    const excessBySkill = new Map<string, number>();

    for (const skill of [BILLING, LEGAL, TECH]) {
      const row = r.body.skills.find((s: { skill: string }) => s.skill === skill);
      const needing = seeded.filter((s) => s.ticket.skills.includes(skill));
      const current = needing.filter((s) => s.ticket.createdAt >= FROM);
      const previous = needing.filter((s) => s.ticket.createdAt < FROM);
      const human = current.filter((s) => s.ticket.route === 'human').map((s) => s.ticket);
      const byHour = Array<number>(24).fill(0);
      current.forEach((s) => byHour[s.ticket.createdAt.getUTCHours()]++);
      const humanByHour = Array<number>(24).fill(0);
      human.forEach((t) => humanByHour[t.queuedAt.getUTCHours()]++);
      const waits = human.filter((t) => t.assignedAt).map((t) => (t.assignedAt!.getTime() - t.queuedAt.getTime()) / 1000);
      const open = human.filter((t) => t.status === 'human_queued').map((t) => (TO.getTime() - t.queuedAt.getTime()) / 1000);
      const excess = [...waits, ...open].reduce((sum, w) => sum + Math.max(0, w - target), 0);
      excessBySkill.set(skill, excess);
      const responses = human.filter((t) => t.humanRespondedAt && t.humanRespondedAt >= t.queuedAt).map((t) => (t.humanRespondedAt!.getTime() - t.queuedAt.getTime()) / 1000);
      const overflow = current.filter((s) => s.overflowSkills.includes(skill)).length;
      const ai = current.filter((s) => s.ticket.initialRoute === 'ai').length;
      const prevAi = previous.filter((s) => s.ticket.initialRoute === 'ai').length;
      const sup = supply.get(skill)!;
      const supplyByHour = sup.byHour.map(r3);

      expect(row.demand).toEqual({ tickets: current.length, human: human.length, byHour, humanByHour });
      expect(row.supply.agents).toBe(sup.agents.size);
      expect(row.supply.agentHours).toBeCloseTo(sup.hours, 2);
      row.supply.byHour.forEach((h: number, i: number) => expect(h).toBeCloseTo(supplyByHour[i], 2));
      expect(row.ticketsPerAgentHour).toBeCloseTo(human.length / r3(sup.hours), 3);
      expect(row.uncoveredHours).toEqual(humanByHour.flatMap((n, h) => (n > 0 && supplyByHour[h] === 0 ? [h] : [])));
      expect(row.wait).toMatchObject({ claimed: waits.length, waiting: open.length });
      expect(row.wait.p50Seconds).toBeCloseTo(percentileCont(waits, 0.5)!, 3);
      expect(row.wait.p90Seconds).toBeCloseTo(percentileCont(waits, 0.9)!, 3);
      // A ticket still waiting counts up to the window's end (long past here).
      expect(row.wait.excessSeconds).toBeCloseTo(excess, 2);
      expect(row.firstResponse.responded).toBe(responses.length);
      expect(row.firstResponse.p50Seconds).toBeCloseTo(percentileCont(responses, 0.5)!, 3);
      expect(row.firstResponse.p90Seconds).toBeCloseTo(percentileCont(responses, 0.9)!, 3);
      expect(row.overflow).toEqual({ tickets: overflow, share: share(overflow, human.length) });
      const aiShare = share(ai, current.length)!;
      const prevShare = share(prevAi, previous.length)!;
      expect(row.ai).toEqual({ share: aiShare, previousShare: prevShare, change: Math.round((aiShare - prevShare) * 10_000) / 10_000, previousTickets: previous.length });
    }

    // Ranked by waiting past the target; the scarce legal skill (few agent-hours, hours of the day with no one) leads.
    const shortages = (r.body.shortages as { skill: string; excessWaitHours: number; uncoveredHours: number[] }[]).filter((s) => s.skill.endsWith(`_${suffix}`));
    const expectedOrder = [BILLING, LEGAL, TECH].filter((s) => excessBySkill.get(s)! > 0).sort((a, b) => excessBySkill.get(b)! - excessBySkill.get(a)!);
    expect(expectedOrder[0]).toBe(LEGAL);
    expect(shortages.map((s) => s.skill)).toEqual(expectedOrder);
    for (const s of shortages) expect(s.excessWaitHours).toBeCloseTo(excessBySkill.get(s.skill)! / 3600, 2);
    expect(shortages[0].uncoveredHours.length).toBeGreaterThan(0);
    expect(r.body.skills.some((s: { skill: string }) => s.skill === OLD)).toBe(false);
  });

  test('when no window is given, then it covers the last 7 days', async () => {
    const r = await supervisor.get('/v1/stats/skills');
    expect(r.status).toBe(200);
    expect(new Date(r.body.to).getTime() - new Date(r.body.from).getTime()).toBe(7 * 24 * HOUR);
    expect(Math.abs(new Date(r.body.to).getTime() - Date.now())).toBeLessThan(60_000);
  });

  test.each([
    ['from after to', `from=${TO.toISOString()}&to=${FROM.toISOString()}`, 'from'],
    ['a date that is not ISO-8601', 'from=yesterday', 'from'],
    ['more than 92 days', `from=2012-01-01T00:00:00Z&to=2012-06-01T00:00:00Z`, 'from'],
    ['an unknown parameter', `${qs}&skill=billing`, ''],
  ])('when the query has %s, then it answers 400 problem+json', async (_name, query, path) => {
    const r = await supervisor.get(`/v1/stats/skills?${query}`);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.code).toBe('VALIDATION_FAILED');
    if (path) expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  test('when an agent or a webhook key asks, then it is forbidden; admins may', async () => {
    const agent = await buildAgent(app, admin);
    expect((await agent.client.get(`/v1/stats/skills?${qs}`)).status).toBe(403);
    const webhook = apiClient(app.url, await createKey(admin, { role: 'webhook', source: `skills-${suffix}` }));
    expect((await webhook.get(`/v1/stats/skills?${qs}`)).status).toBe(403);
    expect((await admin.get(`/v1/stats/skills?${qs}`)).status).toBe(200);
  });

  test('when an agent changes its status or an admin its skills, then the history records each change once', async () => {
    const agent = await buildAgent(app, admin, { skills: ['billing'] });
    const history = () => app.deps.db.agentStatusChange.findMany({ where: { agentId: agent.id }, orderBy: { id: 'asc' } });
    expect((await agent.client.patch(`/v1/agents/${agent.id}`, { status: 'available' })).status).toBe(200);
    // The same status again, and a change of capacity only: nothing to record.
    expect((await agent.client.patch(`/v1/agents/${agent.id}`, { status: 'available' })).status).toBe(200);
    expect((await admin.patch(`/v1/agents/${agent.id}`, { capacity: 4 })).status).toBe(200);
    expect((await admin.patch(`/v1/agents/${agent.id}`, { skills: ['billing', 'legal'] })).status).toBe(200);
    expect((await agent.client.patch(`/v1/agents/${agent.id}`, { status: 'away' })).status).toBe(200);
    const rows = await history();
    expect(rows.map((r) => [r.status, r.skills])).toEqual([
      ['offline', ['billing']],
      ['available', ['billing']],
      ['available', ['billing', 'legal']],
      ['away', ['billing', 'legal']],
    ]);
    const changedAt = rows.map((r) => r.changedAt.getTime());
    expect([...changedAt].sort((a, b) => a - b)).toEqual(changedAt);

    // A status change that fails validation writes nothing.
    expect((await agent.client.patch(`/v1/agents/${agent.id}`, { status: 'asleep' })).status).toBe(400);
    expect(await history()).toHaveLength(4);
  });
});
