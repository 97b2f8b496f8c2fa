import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/shared/logger';
import { createPiiCipher, parsePiiKeys } from '../../src/modules/privacy/pii-cipher';
import { countStaleValues, rotatePiiKey } from '../../src/modules/privacy/rotate-key';
import { eraseExpiredPersonalData } from '../../src/modules/privacy/retention';
import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket, createKey } from '../support/factories';
import { ADMIN_KEY, startApp, TEST_PII_KEY, TEST_PII_KEY_2, type TestApp } from '../support/start-app';

describe('personal data at rest, erasure, retention and key rotation', () => {
  let app: TestApp;
  let admin: ApiClient;
  let webhook: ApiClient;
  const logLines: string[] = [];
  const source = `pii-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    // Debug level: the most talkative the service gets, so the log check sees everything.
    const sink = new Writable({ write: (chunk, _enc, done) => (logLines.push(chunk.toString()), done()) });
    app = await startApp({ LOG_LEVEL: 'debug' }, { logger: createLogger('debug', sink) });
    admin = apiClient(app.url, ADMIN_KEY);
    webhook = apiClient(app.url, await createKey(admin, { role: 'webhook', source }));
  });
  afterAll(() => app.close());

  function person() {
    const tag = randomUUID().slice(0, 8);
    return { externalId: `cust-${tag}`, name: `Zelda Quartermain ${tag}`, email: `zelda.${tag}@example.com`, phone: `+34 611 ${tag.slice(0, 3)} 222` };
  }

  async function rawRows(ticketId: string) {
    const [customer] = await app.deps.db.$queryRaw<Record<string, unknown>[]>`
      SELECT c.* FROM customers c JOIN tickets t ON t.customer_id = c.id WHERE t.id = ${ticketId}::uuid`;
    const [ticket] = await app.deps.db.$queryRaw<Record<string, unknown>[]>`SELECT * FROM tickets WHERE id = ${ticketId}::uuid`;
    const messages = await app.deps.db.$queryRaw<Record<string, unknown>[]>`SELECT * FROM messages WHERE ticket_id = ${ticketId}::uuid`;
    return { customer, ticket, messages };
  }

  test('when a ticket is stored, then a row read straight from Postgres holds no plaintext personal data', async () => {
    const p = person();
    const secretBody = `My card was charged twice, my address is 12 Mulberry Lane ${p.externalId}`;
    const created = await webhook.post('/v1/tickets', buildTicket({ source, subject: 'Double charge on my account', body: secretBody, customer: p }));
    expect(created.status).toBe(202);
    const raw = JSON.stringify(await rawRows(created.body.id));
    for (const plain of [p.name, p.email, p.phone, secretBody, 'Double charge on my account', 'Mulberry']) expect(raw).not.toContain(plain);
    const { customer, ticket, messages } = await rawRows(created.body.id);
    for (const value of [customer.name_enc, customer.email_enc, customer.phone_enc, ticket.subject_enc, messages[0].body_enc]) {
      expect(value).toMatch(/^v1\.k1\./);
    }
    // And the API still gives the plaintext back to an authorised reader.
    expect((await admin.get(`/v1/tickets/${created.body.id}`)).body.messages[0].body).toBe(secretBody);
  });

  test('when a ticket lives through intake, reads and a follow-up at debug level, then the logs never contain the name, email or phone', async () => {
    const p = person();
    const created = await webhook.post('/v1/tickets', buildTicket({ source, customer: p, body: `Please call me on ${p.phone} or write to ${p.email}` }));
    await webhook.get(`/v1/tickets/${created.body.id}`);
    await admin.get(`/v1/tickets/${created.body.id}`);
    await webhook.post(`/v1/tickets/${created.body.id}/messages`, { body: `This is ${p.name}, still waiting` });
    await webhook.post('/v1/tickets', { ...buildTicket({ source, customer: p }), customer: { ...p, email: 'broken' } });
    await admin.delete(`/v1/customers/${source}/${p.externalId}`);
    const log = logLines.join('');
    expect(log).toContain(created.body.id); // proves the capture works
    for (const secret of [p.name, p.email, p.phone, p.externalId, ADMIN_KEY, TEST_PII_KEY, TEST_PII_KEY_2]) expect(log).not.toContain(secret);
  });

  describe('erasure', () => {
    test('when a customer is erased, then their contact details and texts are gone, counts and timings stay, and it is audited', async () => {
      const p = person();
      const first = await webhook.post('/v1/tickets', buildTicket({ source, customer: p }));
      const second = await webhook.post('/v1/tickets', buildTicket({ source, customer: p, body: 'I want to speak to a human about a refund' }));
      await webhook.post(`/v1/tickets/${first.body.id}/messages`, { body: 'Another message with my address' });
      const message = await app.deps.db.message.findFirstOrThrow({ where: { ticketId: first.body.id } });
      await app.deps.db.delivery.create({ data: { ticketId: first.body.id, messageId: message.id, event: 'ticket.message', url: 'https://h.example/x', payloadEnc: app.deps.cipher.encrypt('{"body":"secret"}'), lastError: 'echo secret' } });

      const res = await admin.delete(`/v1/customers/${source}/${p.externalId}`);
      expect(res.status).toBe(204);

      const customer = await app.deps.db.customer.findUniqueOrThrow({ where: { source_externalId: { source, externalId: p.externalId } } });
      expect(customer).toMatchObject({ nameEnc: null, emailEnc: null, phoneEnc: null, erasedAt: expect.any(Date) });
      for (const id of [first.body.id, second.body.id]) {
        const ticket = await app.deps.db.ticket.findUniqueOrThrow({ where: { id }, include: { messages: true, decisions: true, deliveries: true } });
        expect(ticket).toMatchObject({ subjectEnc: null, metadata: {}, status: 'resolved', createdAt: expect.any(Date), firstResponseDueAt: expect.any(Date) });
        expect(ticket.messages.length).toBeGreaterThan(0);
        expect(ticket.messages.every((m) => m.bodyEnc === null)).toBe(true);
        expect(ticket.decisions.length).toBeGreaterThan(0);
        expect(ticket.deliveries.every((d) => d.payloadEnc === null && d.lastError === null)).toBe(true);
        const read = await admin.get(`/v1/tickets/${id}`);
        expect(read.body.subject).toBeNull();
        expect(read.body.messages.every((m: { body: unknown }) => m.body === null)).toBe(true);
      }
      const audit = await admin.get(`/v1/audit?entity=customer&entityId=${customer.id}`);
      expect(audit.body.items[0]).toMatchObject({ action: 'customer.erase', actor: { id: 'env-admin', role: 'admin' }, detail: { tickets: 2, alreadyErased: false } });
      expect(audit.text).not.toContain(p.externalId);
    });

    test('when the ticket was queued for the AI, then its job is removed from Redis too', async () => {
      const p = person();
      const created = await webhook.post('/v1/tickets', buildTicket({ source, customer: p }));
      expect(created.body.status).toBe('ai_queued');
      expect(await app.deps.queues.aiAnswer.getJob(created.body.id)).toBeDefined();
      await admin.delete(`/v1/customers/${source}/${p.externalId}`);
      expect(await app.deps.queues.aiAnswer.getJob(created.body.id)).toBeUndefined();
    });

    test('when the helpdesk redelivers a ticket after the erasure, then 200 and the customer stays erased', async () => {
      const p = person();
      const delivery = buildTicket({ source, customer: p });
      const created = await webhook.post('/v1/tickets', delivery);
      expect((await admin.delete(`/v1/customers/${source}/${p.externalId}`)).status).toBe(204);

      const again = await webhook.post('/v1/tickets', { ...delivery, customer: { ...p, tier: 'vip', aiOptOut: true } });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(created.body.id);
      const { customer } = await rawRows(created.body.id);
      expect(customer).toMatchObject({ name_enc: null, email_enc: null, phone_enc: null, erased_at: expect.any(Date), tier: 'standard', ai_opt_out: false });
    });

    test('when the erasure is repeated, then 204 again; an unknown customer is 404', async () => {
      const p = person();
      await webhook.post('/v1/tickets', buildTicket({ source, customer: p }));
      expect((await admin.delete(`/v1/customers/${source}/${p.externalId}`)).status).toBe(204);
      expect((await admin.delete(`/v1/customers/${source}/${p.externalId}`)).status).toBe(204);
      expect((await admin.delete(`/v1/customers/${source}/never-seen-${randomUUID()}`)).status).toBe(404);
    });
  });

  describe('retention', () => {
    test('when tickets were resolved longer ago than RETENTION_DAYS, then the job erases them and no others', async () => {
      const old = person();
      const recent = person();
      const expired = await webhook.post('/v1/tickets', buildTicket({ source, customer: old }));
      const kept = await webhook.post('/v1/tickets', buildTicket({ source, customer: recent }));
      const open = await webhook.post('/v1/tickets', buildTicket({ source, customer: recent }));
      // An injected clock: "now" is 2001-01-01 and retention is 365 days, so only tickets resolved before 2000-01-02 expire.
      const now = new Date('2001-01-01T00:00:00Z');
      await app.deps.db.ticket.update({ where: { id: expired.body.id }, data: { status: 'resolved', resolvedAt: new Date('1999-12-01T00:00:00Z') } });
      await app.deps.db.ticket.update({ where: { id: kept.body.id }, data: { status: 'resolved', resolvedAt: new Date('2000-12-01T00:00:00Z') } });

      const result = await eraseExpiredPersonalData(app.deps, 365, now);
      expect(result.tickets).toBeGreaterThanOrEqual(1);

      const after = (id: string) => app.deps.db.ticket.findUniqueOrThrow({ where: { id }, include: { messages: true, customer: true } });
      const e = await after(expired.body.id);
      expect(e.subjectEnc).toBeNull();
      expect(e.messages.every((m) => m.bodyEnc === null)).toBe(true);
      expect(e.customer).toMatchObject({ nameEnc: null, emailEnc: null, phoneEnc: null });
      for (const id of [kept.body.id, open.body.id]) {
        const t = await after(id);
        expect(t.subjectEnc).not.toBeNull();
        expect(t.messages.every((m) => m.bodyEnc !== null)).toBe(true);
        expect(t.customer.emailEnc).not.toBeNull();
      }
      const audit = await admin.get(`/v1/audit?entity=ticket&entityId=${expired.body.id}&action=retention.erase`);
      expect(audit.body.items).toEqual([expect.objectContaining({ actor: { id: 'system:retention', role: 'system' } })]);
    });
  });

  describe('key rotation', () => {
    test('when a new key is put first, then rotate-key re-encrypts every value in batches and the old key can go', async () => {
      const p = person();
      const created = await webhook.post('/v1/tickets', buildTicket({ source, customer: p, body: 'Rotate me please' }));
      await admin.put(`/v1/sources/${source}-rot`, { signingSecret: 'rotating-secret-0123456789' });
      const newKey = TEST_PII_KEY_2;
      const keys = parsePiiKeys(`k2:${newKey},k1:${TEST_PII_KEY}`);
      const cipher = createPiiCipher(keys, 'k2');

      // A small batch size exercises the resume path: each pass picks up what is still under k1. The
      // whole shared test database is rotated, so the batches must not be so small that it takes minutes.
      const counts = await rotatePiiKey(app.deps.db, cipher, app.deps.logger, 50);
      expect(counts['messages.body_enc']).toBeGreaterThan(0);
      expect(counts['sources.signing_secrets_enc']).toBeGreaterThan(0);
      expect(await countStaleValues(app.deps.db, 'k2')).toBe(0);
      expect(await rotatePiiKey(app.deps.db, cipher, app.deps.logger, 50)).toEqual(expect.objectContaining({ 'messages.body_enc': 0 }));

      const [row] = await app.deps.db.$queryRaw<{ body_enc: string }[]>`SELECT body_enc FROM messages WHERE ticket_id = ${created.body.id}::uuid`;
      expect(row.body_enc).toMatch(/^v1\.k2\./);
      const onlyNew = createPiiCipher(parsePiiKeys(`k2:${newKey}`), 'k2');
      expect(onlyNew.decrypt(row.body_enc)).toBe('Rotate me please');
      const audit = await admin.get('/v1/audit?entity=pii_key&entityId=k2');
      expect(audit.body.items[0]).toMatchObject({ action: 'pii_key.rotate', actor: { role: 'system' } });

      // Back under k1, the key the test apps write with (they can read k2 too, so parallel files never notice).
      await rotatePiiKey(app.deps.db, createPiiCipher(keys, 'k1'), app.deps.logger, 500);
      expect(await countStaleValues(app.deps.db, 'k1')).toBe(0);
    }, 180_000);
  });

  describe('audit log', () => {
    test('when an agent reads a ticket, then the read is audited and the list pages by cursor', async () => {
      const agent = await app.deps.db.agent.create({ data: { name: 'Auditee', email: 'a@example.com', skills: [], languages: ['en'] } });
      const created = await webhook.post('/v1/tickets', buildTicket({ source, customer: person() }));
      await app.deps.db.ticket.update({ where: { id: created.body.id }, data: { status: 'assigned', assignedAgentId: agent.id } });
      const agentClient = apiClient(app.url, await createKey(admin, { role: 'agent', agentId: agent.id }));
      for (let i = 0; i < 3; i++) expect((await agentClient.get(`/v1/tickets/${created.body.id}`)).status).toBe(200);

      const page1 = await admin.get(`/v1/audit?entity=ticket&entityId=${created.body.id}&limit=2`);
      expect(page1.body.items).toHaveLength(2);
      expect(page1.body.items[0]).toMatchObject({ action: 'ticket.read_personal_data', actor: { role: 'agent' }, detail: { agentId: agent.id }, createdAt: expect.any(String) });
      const page2 = await admin.get(`/v1/audit?entity=ticket&entityId=${created.body.id}&limit=2&cursor=${page1.body.nextCursor}`);
      expect(page2.body).toMatchObject({ items: [expect.any(Object)], nextCursor: null });
      expect(new Set([...page1.body.items, ...page2.body.items].map((i: { id: string }) => i.id)).size).toBe(3);
      expect((await admin.get('/v1/audit?cursor=garbage')).status).toBe(400);
    });

    test('when anything tries to change or delete an audit entry, then the database refuses', async () => {
      await expect(app.deps.db.$executeRaw`UPDATE audit_log SET action = 'tampered'`).rejects.toThrow(/append-only/);
      await expect(app.deps.db.$executeRaw`DELETE FROM audit_log`).rejects.toThrow(/append-only/);
      await expect(app.deps.db.$executeRaw`TRUNCATE audit_log`).rejects.toThrow(/append-only/);
    });
  });
});
