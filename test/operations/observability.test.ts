import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/shared/logger';
import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket, createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { eventually } from '../support/local-server';

/** The value of one sample line in Prometheus text format, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line ? Number(line.split(' ').at(-1)) : undefined;
}

describe('GET /metrics', () => {
  let app: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
  });
  afterAll(() => app.close());

  test('when tickets were received, then requests are counted by route pattern and decisions by reason', async () => {
    const created = await admin.post('/v1/tickets', buildTicket());
    await admin.get(`/v1/tickets/${created.body.id}`);
    await admin.get(`/no-such-path-${randomUUID()}`);

    const res = await apiClient(app.url).get('/metrics');

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(sample(res.text, 'handoff_http_requests_total', { method: 'POST', route: '/v1/tickets', status: '202' })).toBeGreaterThanOrEqual(1);
    expect(sample(res.text, 'handoff_http_requests_total', { method: 'GET', route: '/v1/tickets/:id', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(res.text, 'handoff_http_requests_total', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(res.text).not.toContain(created.body.id);
    expect(sample(res.text, 'handoff_routing_decisions_total', { trigger: 'intake', route: 'ai', reason: 'ROUTINE' })).toBeGreaterThanOrEqual(1);
    expect(res.text).toContain('handoff_http_request_duration_seconds_bucket');
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });

  test('when a ticket is received, then the time spent scoring its message is recorded', async () => {
    const before = await apiClient(app.url).get('/metrics');
    const countBefore = sample(before.text, 'handoff_scoring_duration_seconds_count', { trigger: 'intake' }) ?? 0;
    const sumBefore = sample(before.text, 'handoff_scoring_duration_seconds_sum', { trigger: 'intake' }) ?? 0;

    await admin.post('/v1/tickets', buildTicket());

    const after = await apiClient(app.url).get('/metrics');
    expect(sample(after.text, 'handoff_scoring_duration_seconds_count', { trigger: 'intake' })).toBe(countBefore + 1);
    const seconds = sample(after.text, 'handoff_scoring_duration_seconds_sum', { trigger: 'intake' })! - sumBefore;
    // Scoring one short message takes microseconds to a few milliseconds, never nothing and never a second.
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(1);
  });

  test('when the AI queue holds a job, then its depth is reported per state', async () => {
    await admin.post('/v1/tickets', buildTicket());

    const res = await apiClient(app.url).get('/metrics');

    expect(sample(res.text, 'handoff_queue_scrape_up', {})).toBe(1);
    expect(sample(res.text, 'handoff_queue_jobs', { queue: 'ai-answer', state: 'waiting' })).toBeGreaterThanOrEqual(1);
  });

  test('when METRICS_TOKEN is set, then a scrape without it is 401 and with it 200', async () => {
    const guarded = await startApp({ METRICS_TOKEN: 'scrape-token-0123456789' });
    try {
      const anonymous = await apiClient(guarded.url).get('/metrics');
      const wrong = await apiClient(guarded.url, 'scrape-token-wrong-0000').get('/metrics');
      const right = await apiClient(guarded.url, 'scrape-token-0123456789').get('/metrics');
      const lowerCaseScheme = await apiClient(guarded.url).get('/metrics', { authorization: 'bearer scrape-token-0123456789' });

      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(wrong.status).toBe(401);
      expect(right.status).toBe(200);
      expect(lowerCaseScheme.status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  test('when METRICS_ENABLED is false, then /metrics does not exist', async () => {
    const off = await startApp({ METRICS_ENABLED: 'false' });
    try {
      expect((await apiClient(off.url).get('/metrics')).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('request id', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app.close());

  test('when a request carries X-Request-Id, then the AI job it causes carries the same id and nothing personal', async () => {
    const requestId = `req-${randomUUID()}`;

    const res = await apiClient(app.url, ADMIN_KEY).post('/v1/tickets', buildTicket(), { 'x-request-id': requestId });
    const job = await app.deps.queues.aiAnswer.getJob(res.body.id);

    expect(res.headers.get('x-request-id')).toBe(requestId);
    expect(job?.data).toEqual({ ticketId: res.body.id, requestId });
  });
});

describe('GET /admin/queues', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app.close());

  const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`admin:${key}`).toString('base64')}` });

  test('when no credentials are sent, then 401 asks the browser for them', async () => {
    const res = await apiClient(app.url).get('/admin/queues');

    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  test('when a non-admin key is sent, then 403', async () => {
    const supervisor = await createKey(apiClient(app.url, ADMIN_KEY), { role: 'supervisor' });

    const res = await apiClient(app.url).get('/admin/queues', basic(supervisor));

    expect(res.status).toBe(403);
  });

  test('when the admin key is sent as Basic password, then the board page loads with its own CSP', async () => {
    const res = await apiClient(app.url).get('/admin/queues', basic(ADMIN_KEY));

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.text).toContain('Handoff queues');
    expect(res.headers.get('content-security-policy')).toContain('fonts.googleapis.com');
    expect(res.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
  });

  test('when the admin key is sent as a bearer token, then the board API lists the AI queue', async () => {
    const res = await apiClient(app.url, ADMIN_KEY).get('/admin/queues/api/queues');

    expect(res.status).toBe(200);
    expect(res.body.queues.map((q: { name: string }) => q.name)).toContain('ai-answer');
  });

  test('when the scheme is written in lower case, then the admin key is still accepted', async () => {
    const asBearer = await apiClient(app.url).get('/admin/queues/api/queues', { authorization: `bearer ${ADMIN_KEY}` });
    const asBasic = await apiClient(app.url).get('/admin/queues', { authorization: basic(ADMIN_KEY).authorization.replace('Basic', 'basic') });

    expect(asBearer.status).toBe(200);
    expect(asBasic.status).toBe(200);
  });
});

describe('request log', () => {
  let app: TestApp;
  const lines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(chunk.toString()), done()) });
    app = await startApp({ LOG_LEVEL: 'info' }, { logger: createLogger('info', sink) });
  });
  afterAll(() => app.close());

  test('when requests are served, then each leaves one line with its id, method, redacted URL, status and time, and probes leave none', async () => {
    const requestId = `req-${randomUUID()}`;
    const admin = apiClient(app.url, ADMIN_KEY);
    await admin.get(`/v1/tickets/${randomUUID()}`, { 'x-request-id': requestId });
    await admin.delete('/v1/customers/shop/zelda@example.com');
    await apiClient(app.url).get('/healthz');

    const completed = () => lines.filter((l) => l.includes('request completed'));
    await eventually(async () => completed().length >= 2);
    expect(completed()).toHaveLength(2);
    const [read, erase] = completed().map((l) => JSON.parse(l));
    expect(read).toMatchObject({ level: 30, req: { id: requestId, method: 'GET' }, res: { statusCode: 404 } });
    expect(typeof read.responseTime).toBe('number');
    expect(erase.req).toMatchObject({ method: 'DELETE', url: '/v1/customers/shop/[REDACTED]' });
    expect(lines.join('')).not.toContain('zelda@example.com');
  });
});
