import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { buildTicket } from '../support/factories';
import { apiClient, type ApiClient } from '../support/api-client';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { DEFAULT_POLICY, type RoutingPolicy } from '../../src/modules/routing';
import { FLAGS } from '../../src/modules/scoring/types';
import { prng } from '../support/ticket-factory';
import { decide, seedHistory, type PastTicket } from './history';

/**
 * The SQL replay must decide exactly what decideRoute decides. A varied history (thresholds hit
 * exactly, every flag, unknown and unsupported languages, opt-outs, repeat contacts, every tier) is
 * written as the default policy decided it, then replayed through other policies; the expected figures
 * are computed here, ticket by ticket, with decideRoute as the oracle.
 */
const FROM = new Date('2003-03-01T00:00:00Z');
const TO = new Date('2003-03-08T00:00:00Z');
const DAYS = 7;
const MIN_GROUP = 30;

const CANDIDATE: Omit<RoutingPolicy, 'version'> = {
  negativeSentimentThreshold: -0.5,
  highComplexityThreshold: 0.8,
  humanFlags: ['human_requested', 'legal_threat', 'fraud_or_security', 'safety', 'churn_risk'],
  urgentFlags: ['safety', 'legal_threat'],
  highFlags: ['complaint', 'billing_dispute'],
  aiLanguages: ['en', 'es', 'fr', 'de', 'it'],
  repeatContactThreshold: 2,
  repeatContactWindowHours: 72,
};
/** Edge cases: no human request honoured by flag, no language served, thresholds at the ends of their ranges. */
const EXTREME: Omit<RoutingPolicy, 'version'> = {
  negativeSentimentThreshold: -1,
  highComplexityThreshold: 1,
  humanFlags: ['complaint'],
  urgentFlags: [],
  highFlags: FLAGS.slice(),
  aiLanguages: [],
  repeatContactThreshold: 1000,
  repeatContactWindowHours: 24,
};

function history(n: number): PastTicket[] {
  const rnd = prng(20261127);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const sentiments = [-1, -0.9, -0.7, -0.6999, -0.5, -0.3, 0, 0.4, 1];
  const complexities = [0, 0.3, 0.6, 0.7, 0.75, 0.8, 0.95, 1];
  return Array.from({ length: n }, (_, i) => ({
    sentiment: rnd() < 0.6 ? pick(sentiments) : rnd() * 2 - 1,
    complexity: rnd() < 0.6 ? pick(complexities) : rnd(),
    flags: FLAGS.filter(() => rnd() < 0.1),
    language: pick(['en', 'en', 'es', 'fr', 'de', 'pt', 'it', 'und', 'nl', 'ja']),
    aiOptOut: rnd() < 0.08,
    recentTicketCount: pick([0, 0, 0, 1, 2, 3, 4]),
    tier: pick(['standard', 'standard', 'premium', 'vip'] as const),
    locale: pick(['en', 'es', 'fr', 'de', null]),
    channel: pick(['email', 'chat', 'web', 'phone', 'social'] as const),
    // Distinct instants, so "the newest changed tickets" is one well-defined list.
    createdAt: new Date(FROM.getTime() + i * 997_000),
  }));
}

/** Everything the endpoint reports, computed ticket by ticket with decideRoute. */
function expected(tickets: (PastTicket & { id: string })[], candidate: RoutingPolicy) {
  const routes = { actual: { ai: 0, human: 0 }, simulated: { ai: 0, human: 0 }, changed: { aiToHuman: 0, humanToAi: 0 } };
  const priorities = { actual: { low: 0, normal: 0, high: 0, urgent: 0 }, simulated: { low: 0, normal: 0, high: 0, urgent: 0 } };
  const reasons = { actual: {} as Record<string, number>, simulated: {} as Record<string, number> };
  const humanPerHour = { actual: new Array(24).fill(0), simulated: new Array(24).fill(0) };
  const groups: Record<string, Record<string, { tickets: number; actualAi: number; simulatedAi: number }>> = { locale: {}, tier: {}, channel: {} };
  const changed: { id: string; at: number; from: string; to: string }[] = [];
  for (const t of tickets) {
    const a = decide(t, DEFAULT_POLICY);
    const s = decide(t, candidate);
    routes.actual[a.route]++;
    routes.simulated[s.route]++;
    if (a.route !== s.route) {
      routes.changed[a.route === 'ai' ? 'aiToHuman' : 'humanToAi']++;
      changed.push({ id: t.id, at: t.createdAt.getTime(), from: a.route, to: s.route });
    }
    priorities.actual[a.priority]++;
    priorities.simulated[s.priority]++;
    for (const r of a.reasons) reasons.actual[r.code] = (reasons.actual[r.code] ?? 0) + 1;
    for (const r of s.reasons) reasons.simulated[r.code] = (reasons.simulated[r.code] ?? 0) + 1;
    const hour = t.createdAt.getUTCHours();
    if (a.route === 'human') humanPerHour.actual[hour]++;
    if (s.route === 'human') humanPerHour.simulated[hour]++;
    for (const [attribute, key] of [['locale', t.locale ?? 'unknown'], ['tier', t.tier], ['channel', t.channel]]) {
      const g = (groups[attribute][key] ??= { tickets: 0, actualAi: 0, simulatedAi: 0 });
      g.tickets++;
      if (a.route === 'ai') g.actualAi++;
      if (s.route === 'ai') g.simulatedAi++;
    }
  }
  changed.sort((x, y) => y.at - x.at);
  return { routes, priorities, reasons, humanPerHour, groups, changed };
}

/** The four-fifths rule by hand: share vs the best share among groups of at least MIN_GROUP tickets. */
function flaggedKeys(groups: Record<string, { tickets: number; actualAi: number; simulatedAi: number }>, which: 'actualAi' | 'simulatedAi') {
  const share = (g: { tickets: number; actualAi: number; simulatedAi: number }) => g[which] / g.tickets;
  const eligible = Object.entries(groups).filter(([, g]) => g.tickets >= MIN_GROUP);
  const best = Math.max(...eligible.map(([, g]) => share(g)));
  return eligible.filter(([, g]) => (best === 0 ? 1 : share(g) / best) < 0.8).map(([k]) => k).sort();
}

describe('POST /v1/policies/{version}/simulate', () => {
  let app: TestApp;
  let admin: ApiClient;
  let pool: pg.Pool;
  let tickets: (PastTicket & { id: string })[];

  beforeAll(async () => {
    app = await startApp({ FAIRNESS_MIN_GROUP_SIZE: String(MIN_GROUP) });
    admin = apiClient(app.url, ADMIN_KEY);
    pool = new pg.Pool({ connectionString: app.config.databaseUrl, max: 2 });
    const past = history(600);
    const ids = await seedHistory(pool, past, DEFAULT_POLICY);
    tickets = past.map((t, i) => ({ ...t, id: ids[i] }));
  });
  afterAll(async () => {
    await pool.end();
    await app.close();
  });

  async function draft(policy: Omit<RoutingPolicy, 'version'>): Promise<string> {
    const res = await admin.post('/v1/policies', { policy, note: 'simulation test' });
    expect(res.status).toBe(201);
    return res.body.version;
  }
  const simulate = (version: string) =>
    admin.post(`/v1/policies/${encodeURIComponent(version)}/simulate?from=${FROM.toISOString()}&to=${TO.toISOString()}`);

  it.each([
    ['a stricter candidate', CANDIDATE],
    ['a policy at the edges of every range', EXTREME],
    ['the candidate with repeat contact off, as the default has it', { ...CANDIDATE, repeatContactThreshold: null }],
  ])('when %s is replayed, then every figure matches decideRoute ticket by ticket', async (_name, document) => {
    const version = await draft(document);
    const res = await simulate(version);

    expect(res.status).toBe(200);
    const want = expected(tickets, { version, ...document });
    expect(res.body.tickets).toBe(600);
    expect(res.body.routes).toEqual(want.routes);
    expect(res.body.priorities).toEqual(want.priorities);
    expect(res.body.reasons).toEqual(want.reasons);
    expect(res.body.workload.days).toBe(DAYS);
    expect(res.body.workload.hours.map((h: { actual: number }) => h.actual)).toEqual(want.humanPerHour.actual.map((n) => Math.round((n / DAYS) * 100) / 100));
    expect(res.body.workload.hours.map((h: { simulated: number }) => h.simulated)).toEqual(want.humanPerHour.simulated.map((n) => Math.round((n / DAYS) * 100) / 100));
    for (const attribute of ['locale', 'tier', 'channel']) {
      const got = res.body.fairness.attributes[attribute];
      const groups = want.groups[attribute];
      expect(Object.fromEntries(got.groups.map((g: any) => [g.key, g.tickets]))).toEqual(Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, g.tickets])));
      for (const g of got.groups) {
        expect(g.actual.aiShare).toBeCloseTo(groups[g.key].actualAi / groups[g.key].tickets, 4);
        expect(g.simulated.aiShare).toBeCloseTo(groups[g.key].simulatedAi / groups[g.key].tickets, 4);
      }
      expect(got.groups.filter((g: any) => g.actual.flagged).map((g: any) => g.key).sort()).toEqual(flaggedKeys(groups, 'actualAi'));
      expect(got.groups.filter((g: any) => g.simulated.flagged).map((g: any) => g.key).sort()).toEqual(flaggedKeys(groups, 'simulatedAi'));
    }
    // The sample: the newest tickets whose route changes, each explained both ways.
    expect(res.body.sample.map((s: any) => s.ticketId)).toEqual(want.changed.slice(0, 20).map((c) => c.id));
    for (const s of res.body.sample) {
      const t = tickets.find((x) => x.id === s.ticketId)!;
      expect(s.actual.reasons).toEqual(decide(t, DEFAULT_POLICY).reasons);
      expect(s.simulated).toEqual({ route: decide(t, { version, ...document }).route, priority: decide(t, { version, ...document }).priority, reasons: decide(t, { version, ...document }).reasons });
      expect(s.simulated.route).not.toBe(s.actual.route);
    }
  });

  it('when the active policy is replayed over what it decided, then nothing changes', async () => {
    const { body } = await admin.get('/v1/policies');
    const active = body.items.find((p: { active: boolean }) => p.active);
    expect(active.version).toBe(DEFAULT_POLICY.version);

    const res = await simulate(active.version);

    expect(res.status).toBe(200);
    expect(res.body.routes.simulated).toEqual(res.body.routes.actual);
    expect(res.body.routes.changed).toEqual({ aiToHuman: 0, humanToAi: 0 });
    expect(res.body.priorities.simulated).toEqual(res.body.priorities.actual);
    expect(res.body.reasons.simulated).toEqual(res.body.reasons.actual);
    expect(res.body.sample).toEqual([]);
  });

  it('when a few tickets are worked out by hand, then the replay gives the same routes', async () => {
    // Hand-computed: under CANDIDATE a complaint no longer forces a person (AI, high priority), a
    // sentiment of -0.6 now does, Portuguese is no longer served and a second contact is a repeat.
    const at = new Date('2003-06-01T10:00:00Z');
    const base: PastTicket = { sentiment: 0, complexity: 0.2, flags: [], language: 'en', aiOptOut: false, recentTicketCount: 0, tier: 'standard', locale: 'en', channel: 'email', createdAt: at };
    const cases: [Partial<PastTicket>, string, string][] = [
      [{ flags: ['complaint'] }, 'human', 'ai'],
      [{ sentiment: -0.6 }, 'ai', 'human'],
      [{ language: 'pt' }, 'ai', 'human'],
      [{ recentTicketCount: 2 }, 'ai', 'human'],
      [{ language: 'it' }, 'human', 'ai'],
      [{ complexity: 0.75 }, 'human', 'ai'],
    ];
    const ids = await seedHistory(pool, cases.map(([c], i) => ({ ...base, ...c, createdAt: new Date(at.getTime() + i * 1000) })), DEFAULT_POLICY);
    const version = await draft(CANDIDATE);

    const res = await admin.post(`/v1/policies/${version}/simulate?from=2003-06-01T00:00:00Z&to=2003-06-02T00:00:00Z`);

    expect(res.status).toBe(200);
    const byId = new Map(res.body.sample.map((s: any) => [s.ticketId, s]));
    cases.forEach(([, before, after], i) => {
      expect(byId.get(ids[i])).toMatchObject({ actual: { route: before }, simulated: { route: after } });
    });
    expect(res.body.reasons.simulated).toMatchObject({ ROUTINE: 3, NEGATIVE_SENTIMENT: 1, LANGUAGE_UNSUPPORTED: 1, REPEAT_CONTACT: 1 });
  });

  it('when a ticket arrives, then its intake decision keeps every routing input a replay needs, in the same statement', async () => {
    const customer = { externalId: `cust-${randomUUID()}`, aiOptOut: true, tier: 'vip', locale: 'ES' };
    await admin.post('/v1/tickets', buildTicket({ customer }));
    await admin.post('/v1/tickets', buildTicket({ customer }));

    const third = await admin.post('/v1/tickets', buildTicket({ customer, channel: 'chat' }));

    expect(third.status).toBe(202);
    const { rows } = await pool.query(
      `SELECT ai_opt_out, recent_ticket_count, customer_tier::text AS tier, customer_locale, channel::text AS channel FROM decisions WHERE ticket_id = $1 AND trigger = 'intake'`,
      [third.body.id],
    );
    expect(rows).toEqual([{ ai_opt_out: true, recent_ticket_count: 2, tier: 'vip', customer_locale: 'es', channel: 'chat' }]);
  });

  it('when the window is empty, then every count is zero and nothing is flagged', async () => {
    const res = await admin.post(`/v1/policies/${DEFAULT_POLICY.version}/simulate?from=1999-01-01T00:00:00Z&to=1999-01-02T00:00:00Z`);

    expect(res.status).toBe(200);
    expect(res.body.tickets).toBe(0);
    expect(res.body.routes.simulated).toEqual({ ai: 0, human: 0 });
    expect(res.body.fairness.attributes.locale).toEqual({ groups: [], newlyFlagged: [] });
    expect(res.body.workload.hours).toHaveLength(24);
  });

  it('when the window is given as a date alone and a time without an offset, then both are read as UTC', async () => {
    const res = await admin.post(`/v1/policies/${DEFAULT_POLICY.version}/simulate?from=1999-01-01&to=1999-01-02T06:00:00`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: '1999-01-01T00:00:00.000Z', to: '1999-01-02T06:00:00.000Z' });
  });

  it('when the window or version is wrong, then problem+json says so', async () => {
    const reversed = await admin.post(`/v1/policies/${DEFAULT_POLICY.version}/simulate?from=2003-03-08T00:00:00Z&to=2003-03-01T00:00:00Z`);
    const garbage = await admin.post(`/v1/policies/${DEFAULT_POLICY.version}/simulate?from=yesterday`);
    const unknown = await admin.post('/v1/policies/no-such-version/simulate');

    expect(reversed.status).toBe(400);
    expect(reversed.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(reversed.body.errors).toEqual([expect.objectContaining({ path: 'from' })]);
    expect(garbage.status).toBe(400);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
