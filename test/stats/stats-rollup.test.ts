import { randomUUID } from 'node:crypto';
import type { Ticket } from '@prisma/client';
import { apiClient, type ApiClient } from '../support/api-client';
import { createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { insertTicket, prng, type TicketSeed } from '../support/ticket-factory';
import { rollupStats } from '../../src/modules/stats/stats-rollup';
import { inSnapshot, windowCounts, windowHistograms, windowReasons, windowTrend, type WindowPlan } from '../../src/modules/stats/stats-window';

// Days no other test file writes into.
const FROM = new Date('2012-06-01T00:00:00Z');
const TO = new Date('2012-06-08T00:00:00Z');
const DAY = 86_400_000;
const MIN = 60_000;
const DIMS = ['priority', 'route', 'channel', 'source', 'agent', 'locale', 'tier'];

type Figures = Awaited<ReturnType<typeof figures>>;

/** Everything the endpoints read for a window, through `plan` (the rollup where valid) or all live. */
async function figures(app: TestApp, from: Date, to: Date, now: Date, allLive: boolean) {
  return inSnapshot(app.deps.pool, async (client, plan) => {
    const p: WindowPlan = allLive ? { days: [], hours: [], live: [{ start: from, end: to }] } : await plan(from, to, now);
    const out: Record<string, unknown> = {};
    for (const dim of DIMS) {
      out[`counts ${dim}`] = Object.fromEntries(await windowCounts(client, p, dim, now));
      const h = await windowHistograms(client, p, dim, now);
      const sparse = (m: Float64Array) => Object.fromEntries([...m.entries()].filter(([, n]) => n > 0));
      out[`histograms ${dim}`] = Object.fromEntries([...h].map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([c, m]) => [c, sparse(m)]))]));
    }
    out.reasons = await windowReasons(client, p);
    out.trendDay = await windowTrend(client, p, 'day', now);
    out.trendHour = await windowTrend(client, p, 'hour', now);
    return { rolledDays: p.days.length, rolledHours: p.hours.length, out };
  });
}

/**
 * The marks a breach watcher would stamp on these long-overdue open tickets. Watchers of other test
 * files run against the same database (test/stats/breach-watcher.test.ts marks every ticket), and a
 * stamp between the rollup and the read would dirty the day: seeded already stamped, nothing moves.
 */
function breachMarks(t: TicketSeed) {
  if (t.status !== 'human_queued' && t.status !== 'assigned') return {};
  const due = (at: TicketSeed['firstResponseDueAt']) => (at && new Date(at).getTime() <= Date.now() ? new Date(at) : null);
  return {
    firstResponseBreachedAt: t.firstRespondedAt ? null : due(t.firstResponseDueAt),
    resolutionBreachedAt: due(t.resolutionDueAt),
    humanRequestBreachedAt: t.humanRespondedAt ? null : due(t.humanRequestDueAt),
  };
}

async function rollUpAll(app: TestApp, now = new Date()) {
  for (;;) {
    const r = await rollupStats(app.deps, now);
    if (!r.more && !r.skipped) return;
  }
}

/** The rollup-based answer equals the live computation, for the whole window and for one with partial days at both ends. */
async function expectRollupMatchesLive(app: TestApp): Promise<Figures['rolledDays']> {
  const now = new Date();
  const whole = await figures(app, FROM, TO, now, false);
  expect(whole.out).toEqual((await figures(app, FROM, TO, now, true)).out);
  const from = new Date(FROM.getTime() + 5 * 3_600_000 + 17 * MIN);
  const to = new Date(TO.getTime() - 3 * 3_600_000);
  const edges = await figures(app, from, to, now, false);
  expect(edges.out).toEqual((await figures(app, from, to, now, true)).out);
  // With every day rolled up, the cut days' whole hours come from hourly rows: 18 after 05:17 on the first, 21 on the last.
  if (whole.rolledDays === 7) expect(edges.rolledHours).toBe(39);
  return whole.rolledDays;
}

describe('stats rollup', () => {
  let app: TestApp;
  let histogramApp: TestApp;
  let supervisor: ApiClient;
  let histogramSupervisor: ApiClient;
  const tickets: Ticket[] = [];
  let agentId: string;

  beforeAll(async () => {
    app = await startApp();
    histogramApp = await startApp({ STATS_EXACT_MAX_TICKETS: '0' });
    supervisor = apiClient(app.url, await createKey(apiClient(app.url, ADMIN_KEY), { role: 'supervisor' }));
    histogramSupervisor = apiClient(histogramApp.url, await createKey(apiClient(histogramApp.url, ADMIN_KEY), { role: 'supervisor' }));
    const db = app.deps.db;
    agentId = (await db.agent.create({ data: { name: `Rollup ${randomUUID().slice(0, 4)}`, email: 'a@example.com', skills: [], languages: ['en'], capacity: 5, status: 'available' } })).id;
    const rand = prng(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const now = Date.now();
    for (let i = 0; i < 180; i++) {
      const createdAt = new Date(FROM.getTime() + Math.floor(rand() * 7 * 24 * 60) * MIN);
      const frMin = pick([15, 60, 240]);
      const ai = rand() < 0.5;
      const humanAsked = !ai && rand() < 0.3;
      const kind = rand();
      const respondedAt = new Date(createdAt.getTime() + Math.floor(rand() * frMin * 2 + 1) * MIN);
      const base = {
        createdAt,
        priority: pick(['urgent', 'high', 'normal', 'low'] as const),
        channel: pick(['email', 'chat', 'web'] as const),
        source: pick(['zendesk', 'freshdesk'] as const),
        customerLocale: pick(['en', 'es', null]),
        customerTier: pick(['standard', 'premium', 'vip'] as const),
        firstResponseDueAt: new Date(createdAt.getTime() + frMin * MIN),
        resolutionDueAt: new Date(createdAt.getTime() + frMin * 6 * MIN),
        humanRequestedAt: humanAsked ? createdAt : null,
        humanRequestDueAt: humanAsked ? new Date(createdAt.getTime() + 30 * MIN) : null,
        initialRoute: ai ? ('ai' as const) : ('human' as const),
      };
      let seed;
      if (ai && kind < 0.6) seed = { ...base, route: 'ai' as const, status: 'ai_answered' as const, aiAnsweredAt: respondedAt, firstRespondedAt: respondedAt };
      else if (ai) seed = { ...base, route: 'human' as const, status: 'resolved' as const, aiAnsweredAt: respondedAt, firstRespondedAt: respondedAt, escalatedAfterAi: true,
        assignedAgentId: agentId, humanRespondedAt: new Date(respondedAt.getTime() + 20 * MIN), resolvedAt: new Date(respondedAt.getTime() + 90 * MIN) };
      else if (kind < 0.5) seed = { ...base, route: 'human' as const, status: 'resolved' as const, assignedAgentId: agentId, firstRespondedAt: respondedAt,
        humanRespondedAt: humanAsked ? respondedAt : null, resolvedAt: new Date(respondedAt.getTime() + 200 * MIN) };
      // Open and answered, with the resolution due in the future: a pending clock the rollup must not freeze.
      else if (kind < 0.7) seed = { ...base, route: 'human' as const, status: 'assigned' as const, assignedAgentId: agentId, firstRespondedAt: respondedAt, resolutionDueAt: new Date(now + (2 + i) * 3_600_000) };
      else seed = { ...base, route: 'human' as const, status: 'human_queued' as const };
      tickets.push(await insertTicket(db, { ...seed, ...breachMarks(seed) }));
    }
    const sets = [['HUMAN_REQUESTED'], ['NEGATIVE_SENTIMENT', 'HIGH_COMPLEXITY'], ['SENSITIVE_TOPIC', 'SENSITIVE_TOPIC']];
    for (const [i, t] of tickets.entries()) {
      await db.decision.create({
        data: { ticketId: t.id, trigger: 'intake', route: t.route, priority: t.priority, sentiment: 0, complexity: 0, flags: [], language: 'en',
          reasons: sets[i % sets.length].map((code) => ({ code, detail: 'seeded' })), scorerVersion: 'test', policyVersion: 'test', createdAt: t.createdAt },
      });
    }
  });
  afterAll(async () => {
    await app.close();
    await histogramApp.close();
  });

  test('when the days are rolled up, then every figure read through the rollup equals the live computation', async () => {
    await rollUpAll(app);
    expect(await expectRollupMatchesLive(app)).toBe(7);
  });

  test('when tickets and decisions of rolled-up days change, then those days are read live until the next run, and the figures never drift', async () => {
    await rollUpAll(app);
    const db = app.deps.db;
    const [queued, assigned, answered] = [
      tickets.find((t) => t.status === 'human_queued')!,
      tickets.find((t) => t.status === 'assigned')!,
      tickets.find((t) => t.status === 'ai_answered')!,
    ];
    await db.ticket.update({ where: { id: queued.id }, data: { status: 'assigned', assignedAgentId: agentId, firstRespondedAt: new Date(queued.createdAt.getTime() + 5 * MIN) } });
    await db.ticket.update({ where: { id: assigned.id }, data: { status: 'resolved', resolvedAt: new Date(assigned.createdAt.getTime() + 600 * MIN) } });
    // As the breach watcher does: a mark and a priority raised one step.
    await db.ticket.update({ where: { id: answered.id }, data: { priority: 'urgent', resolutionBreachedAt: answered.resolutionDueAt } });
    const late = await insertTicket(db, { createdAt: new Date(FROM.getTime() + 3 * DAY + 7 * MIN), route: 'human', status: 'human_queued', firstResponseDueAt: new Date(FROM.getTime() + 3 * DAY + 60 * MIN) });
    await db.decision.create({
      data: { ticketId: late.id, trigger: 'intake', route: 'human', priority: 'normal', sentiment: 0, complexity: 0, flags: [], language: 'en',
        reasons: [{ code: 'LATE_IMPORT', detail: 'seeded' }], scorerVersion: 'test', policyVersion: 'test', createdAt: late.createdAt },
    });
    const gone = tickets.find((t) => t.status === 'resolved' && t.id !== assigned.id)!;
    await db.decision.deleteMany({ where: { ticketId: gone.id } });
    await db.ticket.delete({ where: { id: gone.id } });

    const changedDays = new Set([queued, assigned, answered, late, gone].map((t) => Math.floor(t.createdAt.getTime() / DAY)));
    expect(await expectRollupMatchesLive(app)).toBe(7 - changedDays.size);
    await rollUpAll(app);
    expect(await expectRollupMatchesLive(app)).toBe(7);
    expect((await figures(app, FROM, TO, new Date(), false)).out.reasons).toMatchObject({ LATE_IMPORT: 1 });
  });

  test('when an open clock falls due after its day was judged, then that day is read live until it is judged again', async () => {
    const db = app.deps.db;
    const createdAt = new Date(FROM.getTime() + 5 * DAY + 30 * MIN);
    await insertTicket(db, { createdAt, status: 'assigned', assignedAgentId: agentId, firstRespondedAt: new Date(createdAt.getTime() + MIN), resolutionDueAt: new Date(Date.now() - 60 * MIN) });
    // Judged two hours ago, the resolution clock was still running: no breach yet.
    await rollUpAll(app, new Date(Date.now() - 120 * MIN));
    expect(await expectRollupMatchesLive(app)).toBe(6);
    await rollUpAll(app);
    expect(await expectRollupMatchesLive(app)).toBe(7);
  });

  test('when several workers run the rollup at once, then each day is still counted once', async () => {
    const db = app.deps.db;
    await db.ticket.updateMany({ where: { createdAt: { gte: FROM, lt: TO }, status: 'human_queued' }, data: { priority: 'high' } });
    await Promise.all([rollUpAll(app), rollUpAll(histogramApp), rollUpAll(app)]);
    expect(await expectRollupMatchesLive(app)).toBe(7);
  });

  test('when a window is larger than the exact-percentile limit, then counts stay exact and percentiles are within 5 % of the exact ones', async () => {
    await rollUpAll(app);
    const qs = `from=${FROM.toISOString()}&to=${TO.toISOString()}`;
    const bounded = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= Math.max(b * 0.05, 1) ? b : a);
    for (const groupBy of ['priority', 'route', 'source']) {
      const [exact, approx] = await Promise.all([supervisor.get(`/v1/stats/sla?groupBy=${groupBy}&${qs}`), histogramSupervisor.get(`/v1/stats/sla?groupBy=${groupBy}&${qs}`)]);
      expect(exact.headers.get('x-stats-percentiles')).toBe('exact');
      expect(approx.headers.get('x-stats-percentiles')).toBe('histogram; relative-error=0.05');
      // Counts identical, percentiles within the bound.
      const clock = (c: Record<string, unknown>, e: Record<string, unknown>) => ({ ...c, p50Seconds: bounded(c.p50Seconds, e.p50Seconds), p90Seconds: bounded(c.p90Seconds, e.p90Seconds) });
      const groups = approx.body.groups.map((g: Record<string, Record<string, unknown>>, i: number) => {
        const e = exact.body.groups[i];
        return { ...g, firstResponse: clock(g.firstResponse, e.firstResponse), resolution: clock(g.resolution, e.resolution), humanRequested: clock(g.humanRequested, e.humanRequested) };
      });
      expect({ ...approx.body, groups, queue: null }).toEqual({ ...exact.body, queue: null });
    }
    const [exact, approx] = await Promise.all([supervisor.get(`/v1/stats/fairness?attribute=locale&${qs}`), histogramSupervisor.get(`/v1/stats/fairness?attribute=locale&${qs}`)]);
    const plain = (g: Record<string, unknown>) => ({ key: g.key, tickets: g.tickets, aiShare: g.aiShare, escalatedAfterAiShare: g.escalatedAfterAiShare, smallSample: g.smallSample });
    expect(approx.body.groups.map(plain)).toEqual(exact.body.groups.map(plain));
    approx.body.groups.forEach((g: { firstResponseP50Seconds: number }, i: number) =>
      expect(bounded(g.firstResponseP50Seconds, exact.body.groups[i].firstResponseP50Seconds)).toBe(exact.body.groups[i].firstResponseP50Seconds),
    );
    const trend = `/v1/stats/sla/trend?bucket=hour&${qs}`;
    expect((await histogramSupervisor.get(trend)).body).toEqual((await supervisor.get(trend)).body);
  });
});
