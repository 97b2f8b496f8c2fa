import { randomUUID } from 'node:crypto';
import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket, createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';

/**
 * The contract's role matrix, tried with every kind of caller against every endpoint. To cover a new
 * endpoint, add one row to ENDPOINTS (and, if it needs a fixture, a field to Ctx).
 */
type Caller = 'admin' | 'supervisor' | 'webhook' | 'webhookOtherSource' | 'agent' | 'agentOther';
const CALLERS: Caller[] = ['admin', 'supervisor', 'webhook', 'webhookOtherSource', 'agent', 'agentOther'];
const UNAUTHENTICATED = ['no key', 'revoked key', 'malformed header', 'unknown key'] as const;

interface Ctx {
  source: string;
  /** A ticket of `source`, assigned to the `agent` caller. */
  ticketId: string;
  agentId: string;
}

interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: (c: Ctx) => string;
  body?: (c: Ctx) => unknown;
  /** Callers that get past authorisation; every other caller must get 403. */
  allowed: Caller[] | 'public';
  note?: string;
}

const ENDPOINTS: Endpoint[] = [
  { method: 'GET', path: () => '/healthz', allowed: 'public' },
  { method: 'GET', path: () => '/readyz', allowed: 'public' },
  { method: 'POST', path: () => '/v1/api-keys', body: () => ({ name: `m-${randomUUID()}`, role: 'supervisor' }), allowed: ['admin'] },
  { method: 'GET', path: () => '/v1/api-keys', allowed: ['admin'] },
  { method: 'DELETE', path: () => `/v1/api-keys/${randomUUID()}`, allowed: ['admin'] },
  { method: 'POST', path: () => '/v1/tickets', body: (c) => buildTicket({ source: c.source }), allowed: ['admin', 'webhook'] },
  { method: 'GET', path: (c) => `/v1/tickets/${c.ticketId}`, allowed: ['admin', 'supervisor', 'webhook', 'agent'] },
  { method: 'POST', path: (c) => `/v1/tickets/${c.ticketId}/messages`, body: () => ({ body: 'Any update?' }), allowed: ['admin', 'webhook'] },
  { method: 'PUT', path: () => `/v1/sources/matrix-${randomUUID().slice(0, 8)}`, body: () => ({ signingSecret: null }), allowed: ['admin'] },
  { method: 'DELETE', path: (c) => `/v1/customers/${c.source}/nobody-${randomUUID()}`, allowed: ['admin'] },
  { method: 'GET', path: () => '/v1/audit?entity=ticket', allowed: ['admin'] },
  { method: 'POST', path: () => '/v1/agents', body: () => ({ name: 'New', email: 'new@example.com', skills: [], languages: ['en'], capacity: 1 }), allowed: ['admin'] },
  { method: 'GET', path: () => '/v1/agents', allowed: ['admin', 'supervisor'] },
  { method: 'GET', path: (c) => `/v1/agents/${c.agentId}`, allowed: ['admin', 'supervisor', 'agent'] },
  { method: 'PATCH', path: (c) => `/v1/agents/${c.agentId}`, body: () => ({ status: 'away' }), allowed: ['admin', 'agent'] },
  { method: 'GET', path: (c) => `/v1/agents/${c.agentId}/assignments`, allowed: ['admin', 'supervisor', 'agent'] },
  { method: 'POST', path: (c) => `/v1/agents/${c.agentId}/claim`, allowed: ['admin', 'agent'], note: 'the agent is away: 204 agent_away, not a role error' },
  { method: 'GET', path: () => '/v1/reviews', allowed: ['admin', 'supervisor', 'agent', 'agentOther'] },
  { method: 'POST', path: () => `/v1/reviews/${randomUUID()}`, body: () => ({ verdict: 'good' }), allowed: ['admin', 'agent', 'agentOther'] },
  { method: 'GET', path: () => '/v1/deliveries?status=failed', allowed: ['admin'] },
  { method: 'POST', path: () => `/v1/deliveries/${randomUUID()}/retry`, allowed: ['admin'] },
  { method: 'GET', path: () => '/v1/kb/articles', allowed: ['admin'] },
  { method: 'GET', path: () => `/v1/kb/articles/${randomUUID()}`, allowed: ['admin'] },
  { method: 'POST', path: () => '/v1/kb/articles', body: () => ({}), allowed: ['admin'] },
  { method: 'PUT', path: () => `/v1/kb/articles/${randomUUID()}`, body: () => ({}), allowed: ['admin'] },
  { method: 'DELETE', path: () => `/v1/kb/articles/${randomUUID()}`, allowed: ['admin'] },
  { method: 'GET', path: () => '/v1/sla-policies', allowed: ['admin', 'supervisor'] },
  { method: 'PUT', path: () => '/v1/sla-policies', body: () => ({}), allowed: ['admin'] },
  { method: 'GET', path: () => '/v1/stats/sla?groupBy=priority', allowed: ['admin', 'supervisor'] },
  { method: 'GET', path: () => '/v1/stats/sla/trend?bucket=day', allowed: ['admin', 'supervisor'] },
  { method: 'GET', path: () => '/v1/stats/fairness?attribute=tier', allowed: ['admin', 'supervisor'] },
  { method: 'GET', path: () => '/v1/stats/breaches', allowed: ['admin', 'supervisor'] },
  { method: 'GET', path: () => '/v1/policies', allowed: ['admin', 'supervisor'] },
  { method: 'GET', path: () => `/v1/policies/matrix-${randomUUID()}`, allowed: ['admin', 'supervisor'] },
  { method: 'POST', path: () => '/v1/policies', body: () => ({ version: `matrix-${randomUUID()}`, policy: {} }), allowed: ['admin'] },
  { method: 'POST', path: () => `/v1/policies/matrix-${randomUUID()}/simulate`, allowed: ['admin', 'supervisor'] },
  { method: 'POST', path: () => `/v1/policies/matrix-${randomUUID()}/activate`, body: () => ({}), allowed: ['admin'], note: 'an unknown version: 404, so the shared active policy never changes' },
  { method: 'GET', path: () => '/v1/stats/skills', allowed: ['admin', 'supervisor'] },
  { method: 'POST', path: () => '/v1/webhooks/zendesk', body: () => ({}), allowed: ['admin'], note: 'webhook keys only for source zendesk' },
  { method: 'POST', path: () => '/v1/webhooks/intercom', body: () => ({}), allowed: ['admin'] },
  { method: 'POST', path: () => '/v1/webhooks/freshdesk', body: () => ({}), allowed: ['admin'] },
  { method: 'GET', path: () => '/admin/queues', allowed: ['admin'] },
  { method: 'GET', path: () => '/metrics', allowed: 'public', note: 'METRICS_TOKEN unset' },
  { method: 'GET', path: () => '/dashboard', allowed: 'public', note: 'the page; its data needs a supervisor key' },
  { method: 'GET', path: () => '/openapi.json', allowed: 'public' },
  { method: 'GET', path: () => '/docs', allowed: 'public' },
  // Ticket work last, in an order that keeps the fixture ticket assigned to the agent until the end.
  { method: 'POST', path: (c) => `/v1/tickets/${c.ticketId}/replies`, body: () => ({ body: 'On it.' }), allowed: ['admin', 'agent'], note: 'an admin replies for the agent holding the ticket' },
  { method: 'POST', path: (c) => `/v1/tickets/${c.ticketId}/resolve`, allowed: ['admin', 'agent'], note: 'after an admin resolved it for the agent: 409' },
  { method: 'POST', path: (c) => `/v1/tickets/${c.ticketId}/release`, body: () => ({ reason: 'matrix' }), allowed: ['admin', 'agent'], note: 'resolved already: 409, not a role error' },
  { method: 'POST', path: (c) => `/v1/tickets/${c.ticketId}/transfer`, body: () => ({ skill: 'billing' }), allowed: ['admin', 'agent'] },
];

describe('role matrix', () => {
  let app: TestApp;
  const ctx = {} as Ctx;
  const clients = {} as Record<Caller | (typeof UNAUTHENTICATED)[number], ApiClient>;

  beforeAll(async () => {
    app = await startApp();
    const admin = apiClient(app.url, ADMIN_KEY);
    ctx.source = `matrix-${randomUUID().slice(0, 8)}`;
    const [agent, other] = await Promise.all(
      ['Matrix Agent', 'Other Agent'].map((name) => app.deps.db.agent.create({ data: { name, email: 'agent@example.com', skills: [], languages: ['en'] } })),
    );
    ctx.agentId = agent.id;
    const created = await admin.post('/v1/tickets', buildTicket({ source: ctx.source }));
    ctx.ticketId = created.body.id;
    await app.deps.db.ticket.update({ where: { id: ctx.ticketId }, data: { status: 'assigned', route: 'human', assignedAgentId: agent.id, assignedAt: new Date() } });

    const revoked = await admin.post('/v1/api-keys', { name: 'revoked', role: 'webhook', source: ctx.source });
    await admin.delete(`/v1/api-keys/${revoked.body.id}`);
    const keys = {
      admin: ADMIN_KEY,
      supervisor: await createKey(admin, { role: 'supervisor' }),
      webhook: await createKey(admin, { role: 'webhook', source: ctx.source }),
      webhookOtherSource: await createKey(admin, { role: 'webhook', source: `${ctx.source}-other` }),
      agent: await createKey(admin, { role: 'agent', agentId: agent.id }),
      agentOther: await createKey(admin, { role: 'agent', agentId: other.id }),
    };
    for (const caller of CALLERS) clients[caller] = apiClient(app.url, keys[caller]);
    clients['no key'] = apiClient(app.url);
    clients['revoked key'] = apiClient(app.url, revoked.body.key);
    clients['malformed header'] = apiClient(app.url);
    clients['unknown key'] = apiClient(app.url, 'hk_admin_notarealkeynotarealkey');
  });
  afterAll(() => app.close());

  function call(client: ApiClient, e: Endpoint, headers: Record<string, string> = {}) {
    const path = e.path(ctx);
    const body = e.body?.(ctx);
    switch (e.method) {
      case 'GET':
        return client.get(path, headers);
      case 'DELETE':
        return client.delete(path, headers);
      case 'POST':
        return client.post(path, body, headers);
      case 'PUT':
        return client.put(path, body, headers);
      case 'PATCH':
        return client.patch(path, body, headers);
    }
  }

  const name = (e: Endpoint) => `${e.method} ${e.path({ source: ':source', ticketId: ':id', agentId: ':agentId' })}`;
  const authorised = ENDPOINTS.flatMap((e) => CALLERS.map((caller) => [name(e), caller, e] as const));
  test.each(authorised)('%s as %s', async (_n, caller, e) => {
    const res = await call(clients[caller], e);
    expect(res.status).toBeLessThan(500);
    if (e.allowed === 'public' || e.allowed.includes(caller)) {
      expect([401, 403]).not.toContain(res.status);
    } else {
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });

  const unauthenticated = ENDPOINTS.flatMap((e) => UNAUTHENTICATED.map((who) => [name(e), who, e] as const));
  test.each(unauthenticated)('%s with %s', async (_n, who, e) => {
    const res = await call(clients[who], e, who === 'malformed header' ? { authorization: 'Bearer' } : {});
    if (e.allowed === 'public') expect(res.status).toBe(200);
    else {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    }
  });

  test('when a principal is refused, then nothing was written', async () => {
    const before = await app.deps.db.message.count({ where: { ticketId: ctx.ticketId } });
    await clients.supervisor.post(`/v1/tickets/${ctx.ticketId}/messages`, { body: 'should not land' });
    await clients.webhookOtherSource.post(`/v1/tickets/${ctx.ticketId}/messages`, { body: 'should not land' });
    expect(await app.deps.db.message.count({ where: { ticketId: ctx.ticketId } })).toBe(before);
  });
});
