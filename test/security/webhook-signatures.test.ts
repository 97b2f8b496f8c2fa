import { randomUUID } from 'node:crypto';
import { forgetCachedSource, signWebhook as sign } from '../../src/modules/sources';
import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket, createKey } from '../support/factories';
import { signedPost } from '../support/sign-webhook';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';

describe('webhook signatures on intake', () => {
  let app: TestApp;
  let admin: ApiClient;
  let webhook: ApiClient;
  const source = `signed-${randomUUID().slice(0, 8)}`;
  const secret = `whsec_${randomUUID()}`;

  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
    webhook = apiClient(app.url, await createKey(admin, { role: 'webhook', source }));
    expect((await admin.put(`/v1/sources/${source}`, { signingSecret: secret })).status).toBe(200);
  });
  afterAll(() => app.close());

  const stored = (externalId: string) => app.deps.db.ticket.count({ where: { source, externalId } });

  test('when the source has a secret and the request is signed with it, then the ticket is accepted', async () => {
    const ticket = buildTicket({ source });
    const res = await signedPost(webhook, '/v1/tickets', ticket, secret);
    expect(res.status).toBe(202);
  });

  const now = () => Math.floor(Date.now() / 1000);
  test.each([
    ['unsigned', (raw: string) => ({ raw, header: undefined as string | undefined })],
    ['signed with another secret', (raw: string) => ({ raw, header: sign('whsec_wrong_wrong_wrong', raw, now()) })],
    ['tampered after signing', (raw: string) => ({ raw: raw.replace('lamp', 'lump'), header: sign(secret, raw, now()) })],
    ['signed 360 s ago (stale)', (raw: string) => ({ raw, header: sign(secret, raw, now() - 360) })],
    ['signed 360 s in the future', (raw: string) => ({ raw, header: sign(secret, raw, now() + 360) })],
    ['carrying a garbled header', (raw: string) => ({ raw, header: 'v1=deadbeef' })],
  ])('when a ticket is %s, then 401 and nothing is stored', async (_name, make) => {
    const ticket = buildTicket({ source });
    const { raw, header } = make(JSON.stringify(ticket));
    const res = await webhook.post('/v1/tickets', raw, { 'content-type': 'application/json', ...(header ? { 'x-handoff-signature': header } : {}) });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(res.body.code).toBe('INVALID_SIGNATURE');
    expect(await stored(ticket.externalId)).toBe(0);
  });

  test('when a signed ticket is replayed within the window, then 200 with the same ticket and nothing new', async () => {
    const raw = JSON.stringify(buildTicket({ source }));
    const header = sign(secret, raw, now());
    const first = await webhook.post('/v1/tickets', raw, { 'content-type': 'application/json', 'x-handoff-signature': header });
    const replay = await webhook.post('/v1/tickets', raw, { 'content-type': 'application/json', 'x-handoff-signature': header });
    expect([first.status, replay.status]).toEqual([202, 200]);
    expect(replay.body.id).toBe(first.body.id);
  });

  test('when a signed follow-up is replayed, then the message is stored once', async () => {
    const created = await signedPost(webhook, '/v1/tickets', buildTicket({ source }), secret);
    const raw = JSON.stringify({ body: 'Any news on this?' });
    const header = sign(secret, raw, now());
    const path = `/v1/tickets/${created.body.id}/messages`;
    const first = await webhook.post(path, raw, { 'content-type': 'application/json', 'x-handoff-signature': header });
    const replay = await webhook.post(path, raw, { 'content-type': 'application/json', 'x-handoff-signature': header });
    expect([first.status, replay.status]).toEqual([200, 200]);
    expect(await app.deps.db.message.count({ where: { ticketId: created.body.id, author: 'customer' } })).toBe(2);
  });

  test('when the same signed text is sent to two tickets in the same second, then each ticket stores it', async () => {
    const tickets = await Promise.all([1, 2].map(() => signedPost(webhook, '/v1/tickets', buildTicket({ source }), secret)));
    const raw = JSON.stringify({ body: 'Any update?' });
    const header = sign(secret, raw, now());
    for (const { body: ticket } of tickets) {
      expect((await webhook.post(`/v1/tickets/${ticket.id}/messages`, raw, { 'content-type': 'application/json', 'x-handoff-signature': header })).status).toBe(200);
    }
    for (const { body: ticket } of tickets) {
      expect(await app.deps.db.message.count({ where: { ticketId: ticket.id, author: 'customer' } })).toBe(2);
    }
  });

  test('when a follow-up is unsigned, then 401 and nothing is stored', async () => {
    const created = await signedPost(webhook, '/v1/tickets', buildTicket({ source }), secret);
    const res = await webhook.post(`/v1/tickets/${created.body.id}/messages`, { body: 'unsigned' });
    expect(res.status).toBe(401);
    expect(await app.deps.db.message.count({ where: { ticketId: created.body.id } })).toBe(1);
  });

  test('when an admin posts for a signed source, then the signature is required too', async () => {
    const ticket = buildTicket({ source });
    expect((await admin.post('/v1/tickets', ticket)).status).toBe(401);
    expect((await signedPost(admin, '/v1/tickets', ticket, secret)).status).toBe(202);
  });

  test('when a source has no secret, then unsigned intake is accepted (signing is opt-in per source)', async () => {
    const open = `open-${randomUUID().slice(0, 8)}`;
    const key = await createKey(admin, { role: 'webhook', source: open });
    expect((await apiClient(app.url, key).post('/v1/tickets', buildTicket({ source: open }))).status).toBe(202);
  });
});

describe('signing secret rotation', () => {
  let app: TestApp;
  let admin: ApiClient;
  beforeAll(async () => {
    app = await startApp({ SIGNING_SECRET_OVERLAP_SECONDS: '3600' });
    admin = apiClient(app.url, ADMIN_KEY);
  });
  afterAll(() => app.close());

  async function setup() {
    const source = `rot-${randomUUID().slice(0, 8)}`;
    const webhook = apiClient(app.url, await createKey(admin, { role: 'webhook', source }));
    return { source, webhook };
  }

  test('when the secret is replaced, then old and new both verify during the overlap, and the response never shows a secret', async () => {
    const { source, webhook } = await setup();
    await admin.put(`/v1/sources/${source}`, { signingSecret: 'first-secret-0123456789' });
    const res = await admin.put(`/v1/sources/${source}`, { signingSecret: 'second-secret-0123456789' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source, signed: true, previousSecretValidUntil: expect.any(String) });
    expect(res.text).not.toMatch(/secret-0123456789/);
    expect((await signedPost(webhook, '/v1/tickets', buildTicket({ source }), 'first-secret-0123456789')).status).toBe(202);
    expect((await signedPost(webhook, '/v1/tickets', buildTicket({ source }), 'second-secret-0123456789')).status).toBe(202);
  });

  test('when the overlap has passed, then only the newest secret verifies', async () => {
    const { source, webhook } = await setup();
    await admin.put(`/v1/sources/${source}`, { signingSecret: 'first-secret-0123456789' });
    await admin.put(`/v1/sources/${source}`, { signingSecret: 'second-secret-0123456789' });
    await app.deps.db.source.update({ where: { name: source }, data: { updatedAt: new Date(Date.now() - 3_601_000) } });
    forgetCachedSource(source);
    expect((await signedPost(webhook, '/v1/tickets', buildTicket({ source }), 'first-secret-0123456789')).status).toBe(401);
    expect((await signedPost(webhook, '/v1/tickets', buildTicket({ source }), 'second-secret-0123456789')).status).toBe(202);
  });

  test('when a leaked secret is replaced with keepPrevious false, then it stops verifying at once', async () => {
    const { source, webhook } = await setup();
    await admin.put(`/v1/sources/${source}`, { signingSecret: 'leaked-secret-0123456789' });
    const res = await admin.put(`/v1/sources/${source}`, { signingSecret: 'fresh-secret-0123456789', keepPrevious: false });
    expect(res.body.previousSecretValidUntil).toBeNull();
    expect((await signedPost(webhook, '/v1/tickets', buildTicket({ source }), 'leaked-secret-0123456789')).status).toBe(401);
  });

  test('when the secret is set, then it is stored encrypted and the change is audited without the secret', async () => {
    const { source } = await setup();
    await admin.put(`/v1/sources/${source}`, { signingSecret: 'stored-secret-0123456789' });
    const [row] = await app.deps.db.$queryRaw<{ s: string }[]>`SELECT array_to_string(signing_secrets_enc, ',') AS s FROM sources WHERE name = ${source}`;
    expect(row.s).toMatch(/^v1\.k[12]\./);
    expect(row.s).not.toContain('stored-secret');
    const audit = await admin.get(`/v1/audit?entity=source&entityId=${source}`);
    expect(audit.body.items).toEqual([expect.objectContaining({ action: 'source.secret_set', actor: { id: 'env-admin', role: 'admin' } })]);
    expect(audit.text).not.toContain('stored-secret');
  });

  test('when the secret is short, then it is accepted and requests must be signed with it', async () => {
    const { source, webhook } = await setup();
    expect((await admin.put(`/v1/sources/${source}`, { signingSecret: 'test-secret' })).status).toBe(200);
    expect((await webhook.post('/v1/tickets', buildTicket({ source }))).status).toBe(401);
    expect((await signedPost(webhook, '/v1/tickets', buildTicket({ source }), 'test-secret')).status).toBe(202);
  });

  test('when signing is switched off with null, then unsigned requests pass again', async () => {
    const { source, webhook } = await setup();
    await admin.put(`/v1/sources/${source}`, { signingSecret: 'some-secret-0123456789' });
    expect((await admin.put(`/v1/sources/${source}`, { signingSecret: null })).body.signed).toBe(false);
    expect((await webhook.post('/v1/tickets', buildTicket({ source }))).status).toBe(202);
  });

  test.each([
    ['an empty secret', { signingSecret: '' }, 'signingSecret'],
    ['a secret over 256 characters', { signingSecret: 'x'.repeat(257) }, 'signingSecret'],
    ['a missing secret', {}, 'signingSecret'],
    ['an unknown field', { signingSecret: 'long-enough-secret-123', extra: 1 }, '(root)'],
  ])('when the body has %s, then 400', async (_name, body, path) => {
    const res = await admin.put(`/v1/sources/rot-invalid`, body);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe(path);
  });

  test('when the source name is invalid, then 400 naming it', async () => {
    const res = await admin.put(`/v1/sources/Not%20Valid`, { signingSecret: 'long-enough-secret-123' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('source');
  });
});
