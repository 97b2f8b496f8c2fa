import fs from 'node:fs';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import { apiClient, type ApiClient } from '../support/api-client';
import { createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';

/** A fixture shaped as the product documents it; a deep copy, so each test may change ids. */
function fixture(product: string, name: string): any {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', product, `${name}.json`), 'utf8'));
}
const uniqueId = () => String(randomInt(1, 2 ** 47));

describe('POST /v1/webhooks/{helpdesk}', () => {
  let app: TestApp;
  let admin: ApiClient;
  const hooks: Record<string, ApiClient> = {};

  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
    for (const source of ['zendesk', 'intercom', 'freshdesk']) hooks[source] = apiClient(app.url, await createKey(admin, { role: 'webhook', source }));
  });
  afterAll(() => app.close());

  describe('zendesk', () => {
    test('when ticket.created arrives, then 202 with a decision, and a redelivery answers 200 with the same ticket', async () => {
      const payload = fixture('zendesk', 'ticket-created');
      payload.detail.id = uniqueId();

      const first = await hooks.zendesk.post('/v1/webhooks/zendesk', payload);
      const again = await hooks.zendesk.post('/v1/webhooks/zendesk', payload);

      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ source: 'zendesk', externalId: payload.detail.id, status: 'ai_queued', route: 'ai' });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      const stored = await admin.get(`/v1/tickets/${first.body.id}`);
      expect(stored.body).toMatchObject({ channel: 'web', subject: 'Where is my order?', metadata: { zendeskTags: 'order_status,web_widget' } });
      expect(stored.body.messages[0].body).toBe(payload.detail.description);
    });

    test('when the requester comments asking for a person, then the follow-up is stored and the ticket goes to a human', async () => {
      const created = fixture('zendesk', 'ticket-created');
      created.detail.id = uniqueId();
      const ticket = await hooks.zendesk.post('/v1/webhooks/zendesk', created);
      const comment = fixture('zendesk', 'comment-added');
      comment.detail.id = created.detail.id;

      const res = await hooks.zendesk.post('/v1/webhooks/zendesk', comment);

      expect(res.status).toBe(200);
      expect(res.body.id).toBe(ticket.body.id);
      expect(res.body.messages.map((m: any) => m.body)).toContain(comment.event.comment.body);
      expect(res.body.decisions.at(-1)).toMatchObject({ trigger: 'follow_up', route: 'human' });
    });

    test("when an agent's comment arrives, then it is acknowledged and ignored", async () => {
      const comment = fixture('zendesk', 'comment-added');
      comment.detail.id = uniqueId();
      comment.event.comment.author.is_staff = true;

      const res = await hooks.zendesk.post('/v1/webhooks/zendesk', comment);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ignored: true, reason: expect.stringMatching(/agent/) });
    });

    test('when the description is missing, then 400 names detail.description', async () => {
      const payload = fixture('zendesk', 'ticket-created');
      delete payload.detail.description;

      const res = await hooks.zendesk.post('/v1/webhooks/zendesk', payload);

      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'detail.description', message: 'is required' }]);
    });

    test('when a customer comments on a ticket Handoff never received, then 404', async () => {
      const comment = fixture('zendesk', 'comment-added');
      comment.detail.id = uniqueId();

      const res = await hooks.zendesk.post('/v1/webhooks/zendesk', comment);

      expect(res.status).toBe(404);
    });
  });

  describe('intercom', () => {
    test('when conversation.user.created arrives, then the HTML body becomes text and the author the customer', async () => {
      const payload = fixture('intercom', 'conversation-user-created');
      payload.data.item.id = uniqueId();

      const res = await hooks.intercom.post('/v1/webhooks/intercom', payload);

      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ source: 'intercom', externalId: payload.data.item.id, language: 'es' });
      const stored = await admin.get(`/v1/tickets/${res.body.id}`);
      expect(stored.body.channel).toBe('chat');
      expect(stored.body.subject).toBeNull();
      expect(stored.body.messages[0].body).toBe('Hola, ¿cómo puedo cambiar la dirección de envío de mi pedido?\n\nGracias');
    });

    test('when conversation.user.replied arrives, then the latest customer part is the follow-up', async () => {
      const created = fixture('intercom', 'conversation-user-created');
      created.data.item.id = uniqueId();
      await hooks.intercom.post('/v1/webhooks/intercom', created);
      const replied = fixture('intercom', 'conversation-user-replied');
      replied.data.item.id = created.data.item.id;

      const res = await hooks.intercom.post('/v1/webhooks/intercom', replied);

      expect(res.status).toBe(200);
      // The escalation notice to the customer may follow it; the reply itself must be in the thread.
      expect(res.body.messages).toEqual(expect.arrayContaining([expect.objectContaining({ author: 'customer', body: 'Gracias, pero necesito hablar con una persona, por favor.' })]));
      expect(res.body.status).toBe('human_queued');
    });

    test('when the first message has no body, then 400 names data.item.source.body', async () => {
      const payload = fixture('intercom', 'conversation-user-created');
      payload.data.item.source.body = '';

      const res = await hooks.intercom.post('/v1/webhooks/intercom', payload);

      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'data.item.source.body', message: 'must not be empty' }]);
    });

    test('when another topic arrives, then it is acknowledged and ignored', async () => {
      const payload = fixture('intercom', 'conversation-user-created');
      payload.topic = 'conversation.admin.closed';

      const res = await hooks.intercom.post('/v1/webhooks/intercom', payload);

      expect(res.status).toBe(200);
      expect(res.body.ignored).toBe(true);
    });

    test('when the body is not a notification, then 400 names type', async () => {
      const res = await hooks.intercom.post('/v1/webhooks/intercom', { topic: 'conversation.user.created' });

      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'type', message: "must be 'notification_event'" }]);
    });
  });

  describe('freshdesk', () => {
    test('when the ticket-created template arrives, then the requester becomes the customer and the HTML is stripped', async () => {
      const payload = fixture('freshdesk', 'ticket-created');
      payload.freshdesk_webhook.ticket_id = uniqueId();

      const res = await hooks.freshdesk.post('/v1/webhooks/freshdesk', payload);
      const again = await hooks.freshdesk.post('/v1/webhooks/freshdesk', payload);

      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ source: 'freshdesk', externalId: payload.freshdesk_webhook.ticket_id, flags: expect.arrayContaining(['billing_dispute']) });
      expect(again.status).toBe(200);
      const stored = await admin.get(`/v1/tickets/${res.body.id}`);
      expect(stored.body.channel).toBe('email');
      expect(stored.body.messages[0].body).toBe("Bonjour,\nj'ai été débité deux fois pour ma commande A-1001. Pouvez-vous me rembourser ?\nMerci");
    });

    test('when the customer-reply template arrives, then the latest public comment is the follow-up', async () => {
      const created = fixture('freshdesk', 'ticket-created');
      created.freshdesk_webhook.ticket_id = uniqueId();
      await hooks.freshdesk.post('/v1/webhooks/freshdesk', created);
      const reply = fixture('freshdesk', 'customer-reply');
      reply.freshdesk_webhook.ticket_id = created.freshdesk_webhook.ticket_id;

      const res = await hooks.freshdesk.post('/v1/webhooks/freshdesk', reply);

      expect(res.status).toBe(200);
      // The escalation notice to the customer may follow it; the reply itself must be in the thread.
      expect(res.body.messages).toEqual(expect.arrayContaining([expect.objectContaining({ author: 'customer', body: "Je voudrais parler à un humain, s'il vous plaît." })]));
    });

    test('when neither requester id nor email is sent, then 400 names ticket_requester_id', async () => {
      const payload = fixture('freshdesk', 'ticket-created');
      delete payload.freshdesk_webhook.ticket_requester_id;
      payload.freshdesk_webhook.ticket_requester_email = '';

      const res = await hooks.freshdesk.post('/v1/webhooks/freshdesk', payload);

      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('freshdesk_webhook.ticket_requester_id');
    });

    test('when the freshdesk_webhook object is missing, then 400 names it', async () => {
      const res = await hooks.freshdesk.post('/v1/webhooks/freshdesk', { ticket_id: 1 });

      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'freshdesk_webhook', message: 'is required' }]);
    });
  });

  test("when a webhook key of another source posts, then 403", async () => {
    const payload = fixture('zendesk', 'ticket-created');
    payload.detail.id = uniqueId();

    const res = await hooks.intercom.post('/v1/webhooks/zendesk', payload);

    expect(res.status).toBe(403);
  });

  test('when no key is sent, then 401', async () => {
    const res = await apiClient(app.url).post('/v1/webhooks/freshdesk', fixture('freshdesk', 'ticket-created'));

    expect(res.status).toBe(401);
  });
});
