import { randomUUID } from 'node:crypto';
import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket, createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { eventually, startLocalServer } from '../support/local-server';
import { startAiWorker } from '../../src/modules/ai';
import { startDeliveryWorker } from '../../src/modules/delivery';

describe('deliveries to helpdesk callbacks', () => {
  let app: TestApp;
  let admin: ApiClient;
  let webhook: ApiClient;
  let callback: Awaited<ReturnType<typeof startLocalServer>>;
  let workers: { close(): Promise<void> }[];
  const source = `dl-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    app = await startApp({ DELIVERY_ATTEMPTS: '3', DELIVERY_RETRY_DELAY_MS: '30', AI_REVIEW_SAMPLE_RATE: '0' });
    admin = apiClient(app.url, ADMIN_KEY);
    webhook = apiClient(app.url, await createKey(admin, { role: 'webhook', source }));
    callback = await startLocalServer();
    workers = [startAiWorker(app.deps), startDeliveryWorker(app.deps)];
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await callback.close();
    await app.close();
  });

  test('when the callback keeps failing, then the delivery is kept as failed, listed for admins, and a retry delivers it', async () => {
    const path = `/down-${randomUUID()}`;
    let up = false;
    callback.setResponder((req) => (req.url === path && !up ? { status: 503 } : { status: 204 }));
    const posted = await webhook.post('/v1/tickets', buildTicket({ source, subject: 'Password', body: 'I forgot my password, how do I reset it?', callbackUrl: `${callback.url}${path}` }));

    const failed = await eventually(async () => {
      const list = await admin.get(`/v1/deliveries?status=failed&ticketId=${posted.body.id}`);
      return list.body.items.length === 1 ? list.body.items[0] : null;
    });
    expect(failed).toMatchObject({ ticketId: posted.body.id, status: 'failed', attempts: 3, lastStatus: 503, event: 'ticket.message' });
    expect(callback.received.filter((r) => r.url === path)).toHaveLength(3);
    expect(failed.lastError).toBe('callback answered 503');
    expect(failed.deliveredAt).toBeNull();
    // Sources without a secret still get their messages, unsigned.
    expect(callback.received.find((r) => r.url === path)!.headers['x-handoff-signature']).toBeUndefined();

    up = true;
    const retry = await admin.post(`/v1/deliveries/${failed.id}/retry`);
    expect(retry.status).toBe(202);
    const delivered = await eventually(async () => (await admin.get(`/v1/deliveries?status=delivered&ticketId=${posted.body.id}`)).body.items[0] ?? null);
    expect(delivered).toMatchObject({ id: failed.id, attempts: 4, lastStatus: 204, lastError: null, deliveredAt: expect.any(String) });
    expect((await admin.post(`/v1/deliveries/${failed.id}/retry`)).status).toBe(409);
  });

  test('when a non-admin lists deliveries or the query is bad, then 403 and 400', async () => {
    expect((await webhook.get('/v1/deliveries?status=failed')).status).toBe(403);
    const bad = await admin.get('/v1/deliveries?status=lost');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('status');
    // An empty filter is no filter, as for every list.
    expect((await admin.get('/v1/deliveries?status=&ticketId=&limit=')).status).toBe(200);
    expect((await admin.post(`/v1/deliveries/${randomUUID()}/retry`)).status).toBe(404);
  });

  test('when a callback URL points at a private address not allowed, then intake refuses it', async () => {
    const res = await webhook.post('/v1/tickets', buildTicket({ source, callbackUrl: 'http://10.1.2.3/hook' }));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('callbackUrl');
  });
});
