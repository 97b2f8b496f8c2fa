import { randomUUID } from 'node:crypto';
import { deflateSync, gzipSync } from 'node:zlib';
import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket, createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';

describe('intake refuses bad input with precise problem+json and stores nothing', () => {
  let app: TestApp;
  let webhook: ApiClient;
  let key: string;

  beforeAll(async () => {
    app = await startApp();
    key = await createKey(apiClient(app.url, ADMIN_KEY), { role: 'webhook', source: 'zendesk' });
    webhook = apiClient(app.url, key);
  });
  afterAll(() => app.close());

  async function expectRejected(res: { status: number; headers: Headers; body: any }, status: number, externalId?: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: expect.stringMatching(/^https:\/\//), title: expect.any(String), status, detail: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+|node_modules/);
    if (externalId) expect(await app.deps.db.ticket.count({ where: { externalId } })).toBe(0);
  }

  const invalid: [string, (t: any) => void, string][] = [
    ['source missing', (t) => delete t.source, 'source'],
    ['externalId missing', (t) => delete t.externalId, 'externalId'],
    ['body missing', (t) => delete t.body, 'body'],
    ['customer.externalId missing', (t) => delete t.customer.externalId, 'customer.externalId'],
    ['source null', (t) => (t.source = null), 'source'],
    ['externalId null', (t) => (t.externalId = null), 'externalId'],
    ['body null', (t) => (t.body = null), 'body'],
    ['customer null', (t) => (t.customer = null), 'customer'],
    ['customer.externalId null', (t) => (t.customer.externalId = null), 'customer.externalId'],
    ['body not a string', (t) => (t.body = 42), 'body'],
    ['body blank', (t) => (t.body = '   '), 'body'],
    ['channel unknown', (t) => (t.channel = 'fax'), 'channel'],
    ['tier unknown', (t) => (t.customer.tier = 'gold'), 'customer.tier'],
    ['aiOptOut not boolean', (t) => (t.customer.aiOptOut = 'yes'), 'customer.aiOptOut'],
    ['subject over 500 characters', (t) => (t.subject = 'x'.repeat(501)), 'subject'],
    ['body over 20,000 characters', (t) => (t.body = 'x'.repeat(20_001)), 'body'],
    ['metadata value not a string', (t) => (t.metadata = { orderId: 5 }), 'metadata.orderId'],
    ['control character in body', (t) => (t.body = 'hello\u0000world'), 'body'],
    ['control character in subject', (t) => (t.subject = 'bell\u0007'), 'subject'],
    ['email malformed', (t) => (t.customer.email = 'not-an-email'), 'customer.email'],
    ['callbackUrl not a URL', (t) => (t.callbackUrl = 'hooks/handoff'), 'callbackUrl'],
    ['callbackUrl not http', (t) => (t.callbackUrl = 'ftp://example.com/x'), 'callbackUrl'],
  ];
  test.each(invalid)('when %s, then 400 naming the field', async (_name, mutate, path) => {
    const ticket = buildTicket();
    mutate(ticket);
    const res = await webhook.post('/v1/tickets', ticket);
    await expectRejected(res, 400, ticket.externalId);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.any(String) })]));
  });

  test('when the callback URL points at a private address, then 400 (SSRF guard)', async () => {
    const ticket = buildTicket({ callbackUrl: 'http://10.1.2.3/hook' });
    const res = await webhook.post('/v1/tickets', ticket);
    await expectRejected(res, 400, ticket.externalId);
    expect(res.body.errors[0].path).toBe('callbackUrl');
  });

  test.each(['{"source": "zendesk",', "{'source': 'zendesk'}"])('when the JSON is malformed (%s), then 400 with errors naming the body', async (raw) => {
    const res = await webhook.post('/v1/tickets', raw, { 'content-type': 'application/json' });
    await expectRejected(res, 400);
    expect(res.body.errors).toEqual([{ path: '(root)', message: 'is not valid JSON' }]);
  });

  test.each(['"a bare string"', 'null', '42'])('when the body is valid JSON but not an object (%s), then 400 saying so', async (raw) => {
    const res = await webhook.post('/v1/tickets', raw, { 'content-type': 'application/json' });
    await expectRejected(res, 400);
    expect(res.body).toMatchObject({ detail: 'The body must be a JSON object.', errors: [{ path: '(root)', message: 'must be a JSON object' }] });
  });

  const gzipped = (value: unknown) => gzipSync(JSON.stringify(value));
  test.each([
    ['gzip', 'not gzip', () => Buffer.from('not gzip at all')],
    ['gzip', 'truncated', () => gzipped(buildTicket()).subarray(0, 40)],
    ['deflate', 'not deflate', () => Buffer.from('not deflate either')],
    ['deflate', 'truncated', () => deflateSync(JSON.stringify(buildTicket())).subarray(0, 30)],
  ])('when a %s body is %s, then 400 naming the body, not 500', async (encoding, _what, make) => {
    const res = await webhook.post('/v1/tickets', make(), { 'content-type': 'application/json', 'content-encoding': encoding });
    await expectRejected(res, 400);
    expect(res.body.errors).toEqual([{ path: '(root)', message: expect.stringContaining('Content-Encoding') }]);
  });

  test('when a gzip body is valid, then the ticket is taken', async () => {
    const ticket = buildTicket();
    const res = await webhook.post('/v1/tickets', gzipped(ticket), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(202);
    expect(await app.deps.db.ticket.count({ where: { externalId: ticket.externalId } })).toBe(1);
  });

  test('when a small gzip body inflates past 64 KiB, then 413', async () => {
    const bomb = gzipSync(JSON.stringify({ ...buildTicket(), padding: ' '.repeat(10_000_000) }));
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expectRejected(await webhook.post('/v1/tickets', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' }), 413);
  });

  test('when the body is not JSON, then 415', async () => {
    await expectRejected(await webhook.post('/v1/tickets', 'source=zendesk', { 'content-type': 'application/x-www-form-urlencoded' }), 415);
  });

  test('when the body exceeds 64 KiB, then 413', async () => {
    const ticket = buildTicket({ metadata: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'x'.repeat(1000)])), body: 'y'.repeat(19_000) });
    const padded = JSON.stringify(ticket).replace('"source"', `"padding": "${'z'.repeat(30_000)}", "source"`);
    await expectRejected(await webhook.post('/v1/tickets', padded, { 'content-type': 'application/json' }), 413, ticket.externalId);
  });

  test('when the body carries __proto__, then 400 and nothing is stored', async () => {
    const ticket = buildTicket();
    const raw = JSON.stringify(ticket).replace('"customer":{', '"customer":{"__proto__":{"isAdmin":true},');
    const res = await webhook.post('/v1/tickets', raw, { 'content-type': 'application/json' });
    await expectRejected(res, 400, ticket.externalId);
    expect(res.body.errors[0].path).toBe('customer.__proto__');
  });

  test('when there is no key, a malformed header or an unknown key, then 401', async () => {
    const ticket = buildTicket();
    await expectRejected(await apiClient(app.url).post('/v1/tickets', ticket), 401, ticket.externalId);
    await expectRejected(await apiClient(app.url).post('/v1/tickets', ticket, { authorization: 'Basic abc' }), 401, ticket.externalId);
    await expectRejected(await apiClient(app.url, 'hk_webhook_unknownunknownunknown').post('/v1/tickets', ticket), 401, ticket.externalId);
  });

  test.each(['bearer', 'BEARER', 'bEaReR'])('when the scheme is written "%s", then the key is accepted (schemes are case-insensitive)', async (scheme) => {
    const ticket = buildTicket();
    const res = await apiClient(app.url).post('/v1/tickets', ticket, { authorization: `${scheme} ${key}` });
    expect(res.status).toBe(202);
  });

  test('when a revoked key is used, then 401', async () => {
    const admin = apiClient(app.url, ADMIN_KEY);
    const created = await admin.post('/v1/api-keys', { name: 'short-lived', role: 'webhook', source: 'zendesk' });
    expect((await admin.delete(`/v1/api-keys/${created.body.id}`)).status).toBe(204);
    const ticket = buildTicket();
    await expectRejected(await apiClient(app.url, created.body.key).post('/v1/tickets', ticket), 401, ticket.externalId);
  });

  test('when a supervisor key posts a ticket, then 403', async () => {
    const supervisor = apiClient(app.url, await createKey(apiClient(app.url, ADMIN_KEY), { role: 'supervisor' }));
    const ticket = buildTicket();
    await expectRejected(await supervisor.post('/v1/tickets', ticket), 403, ticket.externalId);
  });

  test('when a route does not exist, then 404 problem+json', async () => {
    await expectRejected(await webhook.get('/v1/nope'), 404);
  });
});

describe('API keys', () => {
  let app: TestApp;
  let admin: ApiClient;
  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
  });
  afterAll(() => app.close());

  test('when a key is created, then it is shown once and stored only as a hash, and the change is audited', async () => {
    const res = await admin.post('/v1/api-keys', { name: 'zendesk prod', role: 'webhook', source: 'zendesk' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(String), key: expect.stringMatching(/^hk_webhook_/), role: 'webhook', source: 'zendesk' });
    const row = await app.deps.db.apiKey.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(JSON.stringify(row)).not.toContain(res.body.key);
    expect(await app.deps.db.auditLog.count({ where: { entity: 'api_key', entityId: res.body.id, action: 'api_key.create' } })).toBe(1);
    const listed = await admin.get('/v1/api-keys');
    expect(JSON.stringify(listed.body)).not.toContain(res.body.key);
  });

  test('when an agent key lacks agentId or a webhook key lacks source, then 400 naming the field', async () => {
    const agent = await admin.post('/v1/api-keys', { name: 'a', role: 'agent' });
    expect(agent.status).toBe(400);
    expect(agent.body.errors).toEqual([expect.objectContaining({ path: 'agentId' })]);
    const hook = await admin.post('/v1/api-keys', { name: 'w', role: 'webhook' });
    expect(hook.body.errors).toEqual([expect.objectContaining({ path: 'source' })]);
    const role = await admin.post('/v1/api-keys', { name: 'r', role: 'root' });
    expect(role.body.errors).toEqual([expect.objectContaining({ path: 'role' })]);
  });

  test.each(['UPPER CASE!', 'Zendesk', ' zendesk', ''])('when a webhook key is for the source %j, which intake would refuse, then 400 naming source', async (source) => {
    const res = await admin.post('/v1/api-keys', { name: 'w', role: 'webhook', source });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'source' })]);
  });

  test('when the body carries an unknown field, then 400 and no key is made', async () => {
    const name = `extra-${randomUUID()}`;
    const res = await admin.post('/v1/api-keys', { name, role: 'admin', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '(root)', message: expect.stringContaining('extra') })]);
    expect(await app.deps.db.apiKey.count({ where: { name } })).toBe(0);
  });

  test('when keys are listed a page at a time, then every key comes once, oldest first, and the last page has no next cursor', async () => {
    const made = await Promise.all([1, 2, 3].map((n) => admin.post('/v1/api-keys', { name: `paged-${n}`, role: 'supervisor' })));
    const first = await admin.get('/v1/api-keys?limit=1');
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const seen: { id: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { id: string; createdAt: string }[]; nextCursor: string | null } } = await admin.get(`/v1/api-keys?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen.map((k) => k.id)).size).toBe(seen.length);
    expect(seen.map((k) => k.id)).toEqual(expect.arrayContaining(made.map((res) => res.body.id)));
    expect(seen.map((k) => k.createdAt)).toEqual([...seen.map((k) => k.createdAt)].sort());
  });

  test.each(['limit=0', 'limit=201', 'limit=abc', 'limit=-1'])('when keys are listed with %s, then 400 naming limit', async (query) => {
    const res = await admin.get(`/v1/api-keys?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'limit' })]);
  });

  test('when keys are listed with empty ?limit= and ?cursor=, then the first page of the default size', async () => {
    const res = await admin.get('/v1/api-keys?limit=&cursor=');
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(50);
    expect(res.body.items.length).toBeGreaterThan(0);
  });

  test('when a non-admin manages keys, then 403', async () => {
    const supervisor = apiClient(app.url, await createKey(admin, { role: 'supervisor' }));
    expect((await supervisor.post('/v1/api-keys', { name: 'x', role: 'admin' })).status).toBe(403);
  });
});

describe('health', () => {
  test('when Postgres and Redis answer, then /healthz and /readyz are 200', async () => {
    const app = await startApp();
    try {
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ checks: { postgres: 'up', redis: 'up' } });
    } finally {
      await app.close();
    }
  });

  test('when Redis is unreachable, then /readyz is 503 naming redis, with Retry-After', async () => {
    const app = await startApp({ REDIS_URL: 'redis://127.0.0.1:6390' });
    try {
      const res = await fetch(`${app.url}/readyz`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBeTruthy();
      const body = (await res.json()) as any;
      expect(body.detail).toContain('redis');
      expect(body.checks).toEqual({ postgres: 'up', redis: 'down' });
    } finally {
      await app.close();
    }
  });
});
