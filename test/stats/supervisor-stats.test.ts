import { randomUUID } from 'node:crypto';
import type { Ticket } from '@prisma/client';
import { apiClient, type ApiClient } from '../support/api-client';
import { createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { insertTicket, percentileCont, prng } from '../support/ticket-factory';

// A window no other test file writes into, so every figure below is this file's alone.
const FROM = new Date('2011-03-01T00:00:00Z');
const TO = new Date('2011-04-01T00:00:00Z');
const MIN = 60_000;
const PRIORITY_MINUTES = { urgent: [15, 240], high: [60, 480], normal: [240, 1440], low: [480, 4320] } as const;
type P = keyof typeof PRIORITY_MINUTES;

/** The contract's rule, written again here: achieved if done by the due time, breached if late or overdue, else neither. */
function outcome(done: Date | null, due: Date | null, mark: Date | null, now: Date): 'a' | 'b' | null {
  if (!due) return null;
  if (mark || (done && done > due) || (!done && due < now)) return 'b';
  return done ? 'a' : null;
}

function expectClock(tickets: Ticket[], pick: (t: Ticket) => { start: Date | null; done: Date | null; due: Date | null; mark: Date | null }, now: Date) {
  const outcomes = tickets.map((t) => { const c = pick(t); return outcome(c.done, c.due, c.mark, now); });
  const achieved = outcomes.filter((o) => o === 'a').length;
  const breached = outcomes.filter((o) => o === 'b').length;
  const secs = tickets.map(pick).filter((c) => c.done && c.start).map((c) => (c.done!.getTime() - c.start!.getTime()) / 1000);
  const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
  return {
    measured: achieved + breached,
    achieved,
    breached,
    attainment: achieved + breached === 0 ? null : Math.round((achieved / (achieved + breached)) * 10_000) / 10_000,
    p50Seconds: r3(percentileCont(secs, 0.5)),
    p90Seconds: r3(percentileCont(secs, 0.9)),
  };
}

const fr = (t: Ticket) => ({ start: t.createdAt, done: t.firstRespondedAt ?? t.aiAnsweredAt, due: t.firstResponseDueAt, mark: t.firstResponseBreachedAt });
const res = (t: Ticket) => ({ start: t.createdAt, done: t.resolvedAt ?? (t.status === 'ai_answered' ? t.aiAnsweredAt : null), due: t.resolutionDueAt, mark: t.resolutionBreachedAt });
const hr = (t: Ticket) => ({ start: t.humanRequestedAt, done: t.humanRespondedAt, due: t.humanRequestDueAt, mark: t.humanRequestBreachedAt });

describe('supervisor statistics', () => {
  let app: TestApp;
  let supervisor: ApiClient;
  let tickets: Ticket[] = [];
  const agents: { id: string; capacity: number }[] = [];
  const qs = `from=${FROM.toISOString()}&to=${TO.toISOString()}`;

  beforeAll(async () => {
    app = await startApp();
    const admin = apiClient(app.url, ADMIN_KEY);
    supervisor = apiClient(app.url, await createKey(admin, { role: 'supervisor' }));
    const db = app.deps.db;
    for (const capacity of [3, 5]) {
      const a = await db.agent.create({ data: { name: `Agent ${capacity}-${randomUUID().slice(0, 4)}`, email: 'a@example.com', skills: [], languages: ['en'], capacity, status: 'available' } });
      agents.push({ id: a.id, capacity });
    }
    const rand = prng(42);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const seeds = [];
    // en: mostly AI, fast; es: mostly human, slow (should be flagged); fr: a handful (never flagged).
    for (let i = 0; i < 150; i++) {
      const locale = i < 70 ? 'en' : i < 140 ? 'es' : 'fr';
      const priority = pick(['urgent', 'high', 'normal', 'low'] as const) as P;
      const createdAt = new Date(FROM.getTime() + Math.floor(rand() * 28 * 24 * 60) * MIN);
      const [frMin, resMin] = PRIORITY_MINUTES[priority];
      const aiRouted = rand() < (locale === 'en' ? 0.8 : 0.3);
      const humanAsked = !aiRouted && rand() < 0.3;
      const kind = rand();
      const respondAfter = Math.floor(rand() * frMin * 2) + 1; // half late
      const resolveAfter = Math.floor(rand() * resMin * 2) + respondAfter;
      const base = {
        createdAt,
        priority,
        channel: pick(['email', 'chat', 'web'] as const),
        source: pick(['zendesk', 'freshdesk'] as const),
        customerLocale: locale,
        customerTier: pick(['standard', 'premium', 'vip'] as const),
        firstResponseDueAt: new Date(createdAt.getTime() + frMin * MIN),
        resolutionDueAt: new Date(createdAt.getTime() + resMin * MIN),
        humanRequestedAt: humanAsked ? createdAt : null,
        humanRequestDueAt: humanAsked ? new Date(createdAt.getTime() + 30 * MIN) : null,
        initialRoute: aiRouted ? ('ai' as const) : ('human' as const),
      };
      if (aiRouted) {
        const answeredAt = new Date(createdAt.getTime() + respondAfter * MIN);
        if (kind < 0.6) seeds.push({ ...base, route: 'ai' as const, status: 'ai_answered' as const, aiAnsweredAt: answeredAt, firstRespondedAt: answeredAt, aiTurns: 1 });
        else if (kind < 0.85)
          seeds.push({ ...base, route: 'human' as const, status: 'resolved' as const, aiAnsweredAt: answeredAt, firstRespondedAt: answeredAt, escalatedAfterAi: true,
            assignedAgentId: agents[i % 2].id, humanRespondedAt: new Date(answeredAt.getTime() + 20 * MIN), resolvedAt: new Date(createdAt.getTime() + resolveAfter * MIN) });
        else seeds.push({ ...base, route: 'ai' as const, status: 'ai_queued' as const });
      } else if (kind < 0.6) {
        const respondedAt = new Date(createdAt.getTime() + respondAfter * MIN);
        seeds.push({ ...base, route: 'human' as const, status: 'resolved' as const, assignedAgentId: agents[i % 2].id, firstRespondedAt: respondedAt,
          humanRespondedAt: respondedAt, resolvedAt: new Date(createdAt.getTime() + resolveAfter * MIN) });
      } else if (kind < 0.8) {
        // Still open and assigned, but breached and marked by the watcher.
        seeds.push({ ...base, route: 'human' as const, status: 'assigned' as const, assignedAgentId: agents[i % 2].id, firstResponseBreachedAt: base.firstResponseDueAt });
      } else seeds.push({ ...base, route: 'human' as const, status: 'human_queued' as const });
    }
    // Open tickets in the past are overdue on every clock: mark them as the breach watcher would, so a
    // watcher running in another test file finds nothing here to change.
    const open = new Set(['ai_queued', 'human_queued', 'assigned']);
    for (const s of seeds) {
      const marks = open.has(s.status)
        ? { firstResponseBreachedAt: s.firstResponseDueAt, resolutionBreachedAt: s.resolutionDueAt, humanRequestBreachedAt: s.humanRequestDueAt }
        : {};
      tickets.push(await insertTicket(db, { ...s, ...marks }));
    }
    // Routing decisions that sent tickets to people, some with two codes and one repeated code.
    const reasonSets = [['HUMAN_REQUESTED'], ['NEGATIVE_SENTIMENT', 'HIGH_COMPLEXITY'], ['CUSTOMER_DISSATISFIED', 'CUSTOMER_DISSATISFIED'], ['SENSITIVE_TOPIC']];
    for (const [i, t] of tickets.entries()) {
      if (t.route !== 'human') continue;
      const codes = reasonSets[i % reasonSets.length];
      await db.decision.create({
        data: { ticketId: t.id, trigger: 'intake', route: 'human', priority: t.priority, sentiment: 0, complexity: 0, flags: [], language: 'en',
          reasons: codes.map((code) => ({ code, detail: 'seeded' })), scorerVersion: 'test', policyVersion: 'test', createdAt: t.createdAt },
      });
    }
    // An AI-route decision: never an escalation reason.
    await db.decision.create({
      data: { ticketId: tickets[0].id, trigger: 'intake', route: 'ai', priority: 'normal', sentiment: 0, complexity: 0, flags: [], language: 'en',
        reasons: [{ code: 'ROUTINE', detail: 'seeded' }], scorerVersion: 'test', policyVersion: 'test', createdAt: tickets[0].createdAt },
    });
  });
  afterAll(() => app.close());

  test.each(['priority', 'route', 'channel', 'source'] as const)('when grouped by %s, then every group has the figures computed independently', async (groupBy) => {
    const r = await supervisor.get(`/v1/stats/sla?${qs}&groupBy=${groupBy}`);
    expect(r.status).toBe(200);
    const now = new Date();
    const keyOf = (t: Ticket) => String(t[groupBy]);
    const keys = [...new Set(tickets.map(keyOf))].sort();
    expect(r.body.from).toBe(FROM.toISOString());
    expect(r.body.to).toBe(TO.toISOString());
    expect(r.body.groups.map((g: { key: string }) => g.key)).toEqual(keys);
    for (const key of keys) {
      const mine = tickets.filter((t) => keyOf(t) === key);
      const g = r.body.groups.find((x: { key: string }) => x.key === key);
      expect(g).toEqual({ key, tickets: mine.length, firstResponse: expectClock(mine, fr, now), resolution: expectClock(mine, res, now), humanRequested: expectClock(mine, hr, now) });
    }
  });

  test('when grouped by route, then AI first responses and human ones are kept apart', async () => {
    const r = await supervisor.get(`/v1/stats/sla?${qs}&groupBy=route`);
    const ai = r.body.groups.find((g: { key: string }) => g.key === 'ai');
    const aiAnswered = tickets.filter((t) => t.route === 'ai' && t.aiAnsweredAt).length;
    expect(ai.firstResponse.measured).toBeGreaterThanOrEqual(aiAnswered);
  });

  test('when asked for AI figures and escalation reasons, then they match the seeded tickets and decisions', async () => {
    const r = await supervisor.get(`/v1/stats/sla?${qs}`);
    const routed = tickets.filter((t) => t.initialRoute === 'ai');
    const answered = routed.filter((t) => t.aiAnsweredAt).length;
    const escalated = routed.filter((t) => t.escalatedAfterAi).length;
    expect(r.body.ai).toEqual({ routed: routed.length, answered, escalatedAfterAnswer: escalated, containmentRate: Math.round(((answered - escalated) / routed.length) * 10_000) / 10_000 });
    const expected: Record<string, number> = {};
    const sets = [['HUMAN_REQUESTED'], ['NEGATIVE_SENTIMENT', 'HIGH_COMPLEXITY'], ['CUSTOMER_DISSATISFIED'], ['SENSITIVE_TOPIC']];
    tickets.forEach((t, i) => { if (t.route === 'human') for (const c of sets[i % 4]) expected[c] = (expected[c] ?? 0) + 1; });
    expect(r.body.escalationReasons).toEqual(expected);
  });

  test('when asked for the queue, then it counts waiting tickets by priority and the oldest wait covers ours', async () => {
    const r = await supervisor.get(`/v1/stats/sla?${qs}`);
    const waiting = tickets.filter((t) => t.status === 'human_queued');
    const oldest = Math.min(...waiting.map((t) => t.queuedAt.getTime()));
    const q = r.body.queue;
    expect(Object.keys(q.byPriority).sort()).toEqual(['high', 'low', 'normal', 'urgent']);
    for (const p of ['urgent', 'high', 'normal', 'low']) expect(q.byPriority[p]).toBeGreaterThanOrEqual(waiting.filter((t) => t.priority === p).length);
    expect(q.humanWaiting).toBe(Object.values(q.byPriority as Record<string, number>).reduce((a, b) => a + b, 0));
    expect(q.oldestWaitingSeconds).toBeGreaterThanOrEqual(Math.floor((Date.now() - oldest) / 1000) - 5);
    expect(q).toEqual(expect.objectContaining({ aiWaiting: expect.any(Number), aiActive: expect.any(Number), aiFailed: expect.any(Number) }));
  });

  test('when grouped by agent, then each agent has its tickets, times and current load against capacity', async () => {
    const r = await supervisor.get(`/v1/stats/sla?${qs}&groupBy=agent`);
    expect(r.status).toBe(200);
    const now = new Date();
    for (const a of agents) {
      const mine = tickets.filter((t) => t.assignedAgentId === a.id);
      const g = r.body.groups.find((x: { key: string }) => x.key === a.id);
      expect(g).toMatchObject({ tickets: mine.length, firstResponse: expectClock(mine, fr, now), resolution: expectClock(mine, res, now) });
      expect(g.agent).toMatchObject({ capacity: a.capacity, load: mine.filter((t) => t.status === 'assigned').length, status: 'available' });
    }
    const unassigned = r.body.groups.find((x: { key: string }) => x.key === 'unassigned');
    expect(unassigned.tickets).toBe(tickets.filter((t) => !t.assignedAgentId).length);
  });

  test('when asked for fairness by locale, then rates, ratios to the best group and flags follow the four-fifths rule', async () => {
    const r = await supervisor.get(`/v1/stats/fairness?attribute=locale&${qs}`);
    expect(r.status).toBe(200);
    const groups = ['en', 'es', 'fr'].map((key) => {
      const mine = tickets.filter((t) => t.customerLocale === key);
      const answered = mine.filter((t) => t.aiAnsweredAt);
      const frSecs = mine.filter((t) => t.firstRespondedAt ?? t.aiAnsweredAt).map((t) => ((t.firstRespondedAt ?? t.aiAnsweredAt)!.getTime() - t.createdAt.getTime()) / 1000);
      return {
        key,
        tickets: mine.length,
        ai: mine.filter((t) => t.initialRoute === 'ai').length / mine.length,
        esc: answered.length ? answered.filter((t) => t.escalatedAfterAi).length / answered.length : null,
        p50: percentileCont(frSecs, 0.5),
      };
    });
    const eligible = groups.filter((g) => g.tickets >= 30);
    const bestAi = Math.max(...eligible.map((g) => g.ai));
    const bestEsc = Math.min(...eligible.map((g) => g.esc!));
    const bestP50 = Math.min(...eligible.map((g) => g.p50!));
    const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
    for (const g of groups) {
      const got = r.body.groups.find((x: { key: string }) => x.key === g.key);
      const ratios = { aiShare: r4(g.ai / bestAi), escalatedAfterAi: g.esc === null ? null : g.esc === 0 ? 1 : r4(bestEsc / g.esc), firstResponseP50: r4(bestP50 / g.p50!) };
      expect(got).toMatchObject({ tickets: g.tickets, aiShare: r4(g.ai), ratios, smallSample: g.tickets < 30 });
      const under = Object.values(ratios).some((v) => v !== null && v < 0.8);
      expect(got.flagged).toBe(g.tickets >= 30 && under);
    }
    // The data set is built so that Spanish-speaking customers are served by the AI far less often.
    expect(r.body.groups.find((x: { key: string }) => x.key === 'es')).toMatchObject({ flagged: true, flaggedRates: expect.arrayContaining(['aiShare']) });
    expect(r.body.groups.find((x: { key: string }) => x.key === 'fr').flagged).toBe(false);
    expect(r.body).toMatchObject({ attribute: 'locale', threshold: 0.8, minGroupSize: 30 });
  });

  test.each(['tier', 'channel'])('when asked for fairness by %s, then every group adds up to the window', async (attribute) => {
    const r = await supervisor.get(`/v1/stats/fairness?attribute=${attribute}&${qs}`);
    expect(r.status).toBe(200);
    expect(r.body.groups.reduce((s: number, g: { tickets: number }) => s + g.tickets, 0)).toBe(tickets.length);
  });

  test('when asked for breaches, then open tickets past or within 10 minutes of a due time are listed, earliest first', async () => {
    const db = app.deps.db;
    const now = Date.now();
    const overdue = await insertTicket(db, { createdAt: new Date(now - 20 * MIN), firstResponseDueAt: new Date(now - 5 * MIN), resolutionDueAt: new Date(now + 600 * MIN) });
    const soon = await insertTicket(db, { createdAt: new Date(now), firstResponseDueAt: new Date(now + 5 * MIN), resolutionDueAt: new Date(now + 600 * MIN), status: 'assigned' });
    const humanSoon = await insertTicket(db, { createdAt: new Date(now), status: 'ai_queued', route: 'ai', humanRequestedAt: new Date(now), humanRequestDueAt: new Date(now + 8 * MIN),
      firstResponseDueAt: new Date(now + 60 * MIN), resolutionDueAt: new Date(now + 600 * MIN) });
    const later = await insertTicket(db, { createdAt: new Date(now), firstResponseDueAt: new Date(now + 30 * MIN), resolutionDueAt: new Date(now + 600 * MIN) });
    const closed = await insertTicket(db, { createdAt: new Date(now - 60 * MIN), status: 'resolved', resolvedAt: new Date(now), firstResponseDueAt: new Date(now - 30 * MIN), resolutionDueAt: new Date(now - 1 * MIN) });
    const answered = await insertTicket(db, { createdAt: new Date(now - 60 * MIN), status: 'assigned', firstRespondedAt: new Date(now - 50 * MIN), firstResponseDueAt: new Date(now - 30 * MIN), resolutionDueAt: new Date(now + 600 * MIN) });

    const items = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await supervisor.get(`/v1/stats/breaches?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const ids = items.map((i: { id: string }) => i.id);
    expect(ids).toEqual(expect.arrayContaining([overdue.id, soon.id, humanSoon.id]));
    for (const absent of [later.id, closed.id, answered.id]) expect(ids).not.toContain(absent);
    const dues = items.map((i: any) => Date.parse(i.nextDueAt));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    expect(items.find((i: any) => i.id === overdue.id)).toMatchObject({ breached: true, clocks: [expect.objectContaining({ clock: 'first_response', breached: true })] });
    expect(items.find((i: any) => i.id === soon.id)).toMatchObject({ breached: false, status: 'assigned' });
    expect(items.find((i: any) => i.id === humanSoon.id)).toMatchObject({ clocks: [expect.objectContaining({ clock: 'human_request', breached: false })] });
  });

  test.each(['/v1/stats/sla', '/v1/stats/sla/trend', '/v1/stats/fairness', '/v1/stats/skills'])(
    'when %s gets a date alone and a time without an offset, then both are read as UTC',
    async (path) => {
      const r = await supervisor.get(`${path}?from=2026-11-01&to=2026-11-02T12:30:00`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T12:30:00.000Z' });
    },
  );

  test.each(['yesterday', '2026-13-01', '2026-02-30', '2026-11-01T25:00:00', '2026-11-01 00:00:00', '1793491200'])(
    'when from is %j, then 400 naming from',
    async (from) => {
      const r = await supervisor.get(`/v1/stats/sla?from=${encodeURIComponent(from)}`);
      expect(r.status).toBe(400);
      expect(r.body.errors).toEqual([{ path: 'from', message: expect.stringContaining('ISO-8601') }]);
    },
  );

  test('when the caller is not a supervisor or the query is wrong, then a precise problem', async () => {
    const admin = apiClient(app.url, ADMIN_KEY);
    const webhook = apiClient(app.url, await createKey(admin, { role: 'webhook', source: 'zendesk' }));
    expect((await webhook.get('/v1/stats/sla')).status).toBe(403);
    expect((await apiClient(app.url).get('/v1/stats/fairness')).status).toBe(401);
    const bad = await supervisor.get('/v1/stats/sla?groupBy=colour&from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['from', 'groupBy']);
    expect((await supervisor.get(`/v1/stats/sla?from=${TO.toISOString()}&to=${FROM.toISOString()}`)).body.errors).toEqual([{ path: 'from', message: 'must be before to' }]);
    expect((await supervisor.get('/v1/stats/fairness?attribute=religion')).status).toBe(400);
    expect((await supervisor.get('/v1/stats/breaches?cursor=nonsense')).status).toBe(400);
    expect((await supervisor.get('/v1/stats/sla?extra=1')).status).toBe(400);
  });

  test('when the query is written as the contract writes it, with empty parameters, then each is its default', async () => {
    for (const path of ['/v1/stats/sla?from=&to=&groupBy=', '/v1/stats/fairness?attribute=&from=&to=', '/v1/stats/sla/trend?from=&to=&bucket=', '/v1/stats/breaches?limit=&cursor=']) {
      const res = await supervisor.get(path);
      expect([path, res.status]).toEqual([path, 200]);
    }
    const sla = await supervisor.get('/v1/stats/sla?from=&to=&groupBy=');
    const to = new Date(sla.body.to).getTime();
    expect(Math.abs(Date.now() - to)).toBeLessThan(60_000);
    expect(to - new Date(sla.body.from).getTime()).toBe(30 * 86_400_000);
    expect(sla.body.groups.every((g: { key: string }) => ['urgent', 'high', 'normal', 'low'].includes(g.key))).toBe(true);
  });
});
