import { apiClient, type ApiClient } from '../support/api-client';
import { buildAgent, insertQueuedTickets, privateLanguage } from '../support/agents';
import { eventually, startLocalServer } from '../support/local-server';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { startDeliveryWorker } from '../../src/modules/delivery';
import { verifyWebhook } from '../../src/modules/sources/webhook-signature';

describe('agent replies reach the helpdesk', () => {
  let app: TestApp;
  let admin: ApiClient;
  let helpdesk: Awaited<ReturnType<typeof startLocalServer>>;
  let worker: { close(): Promise<void> };

  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
    helpdesk = await startLocalServer();
    worker = startDeliveryWorker(app.deps);
  });
  afterAll(async () => {
    await worker.close();
    await helpdesk.close();
    await app.close();
  });

  test('when the assigned agent replies, then the reply is POSTed to the callback, signed with the source secret', async () => {
    const secret = 'agents-test-signing-secret-0123456789';
    await app.deps.db.source.upsert({
      where: { name: 'agents-test' },
      create: { name: 'agents-test', signingSecretsEnc: [app.deps.cipher.encrypt(secret)] },
      update: { signingSecretsEnc: [app.deps.cipher.encrypt(secret)] },
    });
    const language = privateLanguage();
    const [ticketId] = await insertQueuedTickets(app, { language, skills: [] });
    await app.deps.db.ticket.update({ where: { id: ticketId }, data: { callbackUrl: `${helpdesk.url}/hooks/handoff` } });
    const agent = await buildAgent(app, admin, { languages: [language], skills: [] }, { available: true });
    // Handed over by an admin rather than claimed, so no other test's agent can compete for it.
    expect((await admin.post(`/v1/tickets/${ticketId}/transfer`, { agentId: agent.id })).status).toBe(200);

    const reply = await agent.client.post(`/v1/tickets/${ticketId}/replies`, { body: 'Hello, I have refunded the second charge.' });
    expect(reply.status).toBe(201);

    const call = await eventually(async () => helpdesk.received.find((r) => r.json?.message?.id === reply.body.id));
    expect(call.json).toMatchObject({
      event: 'ticket.message',
      ticketId,
      source: 'agents-test',
      message: { author: 'agent', body: 'Hello, I have refunded the second charge.' },
    });
    expect(verifyWebhook(call.headers['x-handoff-signature'] as string, Buffer.from(call.raw), [secret])).toBeNull();
  });
});
