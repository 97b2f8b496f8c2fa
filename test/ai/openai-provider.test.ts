import { randomUUID } from 'node:crypto';
import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket, createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { eventually, startLocalServer } from '../support/local-server';
import { startAiWorker } from '../../src/modules/ai';

const completion = (content: string) => ({ id: 'cmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] });

describe('AI answers with an OpenAI-compatible provider', () => {
  let app: TestApp;
  let admin: ApiClient;
  let webhook: ApiClient;
  let provider: Awaited<ReturnType<typeof startLocalServer>>;
  let worker: { close(): Promise<void> };
  const source = `oa-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    provider = await startLocalServer();
    app = await startApp({
      AI_PROVIDER: 'openai',
      OPENAI_BASE_URL: `${provider.url}/v1`,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_MODEL: 'test-model',
      OPENAI_TIMEOUT_MS: '300',
      AI_RETRY_DELAY_MS: '30',
      AI_REVIEW_SAMPLE_RATE: '0',
    });
    admin = apiClient(app.url, ADMIN_KEY);
    webhook = apiClient(app.url, await createKey(admin, { role: 'webhook', source }));
    worker = startAiWorker(app.deps);
  });
  afterAll(async () => {
    await worker.close();
    await provider.close();
    await app.close();
  });

  const requestsFor = (marker: string) => provider.received.filter((r) => r.raw.includes(marker));
  const settled = (id: string) =>
    eventually(async () => {
      const t = (await admin.get(`/v1/tickets/${id}`)).body;
      return t.status !== 'ai_queued' ? t : null;
    });

  test('when the model answers with the structured JSON, then the answer is stored and the provider never saw personal data', async () => {
    provider.setResponder(() => ({ status: 200, body: completion(JSON.stringify({ answer: 'Use the Forgot password link on the sign-in page.', confidence: 0.9, sources: ['reset-password', 'made-up'] })) }));
    const marker = randomUUID();
    const posted = await webhook.post('/v1/tickets', buildTicket({
      source,
      subject: `Password ${marker}`,
      body: 'I forgot my password. My email is ana.ruiz@example.com, phone +34 600 123 456, card 4111 1111 1111 1111, IBAN ES91 2100 0418 4502 0005 1332.',
    }));
    const ticket = await settled(posted.body.id);
    expect(ticket.status).toBe('ai_answered');
    const ai = ticket.messages.find((m: any) => m.author === 'ai');
    expect(ai.body).toBe('Use the Forgot password link on the sign-in page.');
    expect(ai.sources.map((s: any) => s.slug)).toEqual(['reset-password']);
    expect(ai.disclosure).toMatch(/AI/);

    const [sent] = requestsFor(marker);
    expect(sent.headers.authorization).toBe('Bearer sk-test');
    expect(sent.json.model).toBe('test-model');
    for (const original of ['ana.ruiz@example.com', '600 123 456', '4111 1111 1111 1111', 'ES91 2100', 'Ana Ruiz']) expect(sent.raw).not.toContain(original);
    expect(sent.raw).toContain('[EMAIL]');
    expect(sent.raw).toContain('[CARD]');
    expect(sent.raw).toContain('reset-password'); // grounding articles
  });

  test.each([
    ['a 500', () => ({ status: 500, body: { error: { message: 'boom' } } })],
    ['a 429', () => ({ status: 429, body: { error: { message: 'slow down' } } })],
    ['a slow answer', () => ({ status: 200, delayMs: 800, body: completion('{"answer":"late","confidence":0.9,"sources":[]}') })],
    ['garbage', () => ({ status: 200, body: '<html>not json</html>' })],
    ['JSON that is not the structured answer', () => ({ status: 200, body: completion('{"reply":"Sure! Here is your answer."}') })],
    ['an empty answer', () => ({ status: 200, body: completion('  ') })],
    ['a confidence out of range', () => ({ status: 200, body: completion('{"answer":"x","confidence":7,"sources":[]}') })],
  ])('when the provider keeps returning %s, then after the retries the ticket goes to a person with AI_FAILED', async (_label, responder) => {
    const marker = randomUUID();
    provider.setResponder((req) => (req.raw.includes(marker) ? responder() : { status: 500 }));
    const posted = await webhook.post('/v1/tickets', buildTicket({ source, subject: `Order ${marker}`, body: 'How do I cancel my order?' }));
    const ticket = await settled(posted.body.id);
    expect(ticket.status).toBe('human_queued');
    expect(ticket.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'AI_FAILED' })]));
    expect(requestsFor(marker).length).toBe(4);
    expect(ticket.messages.some((m: any) => m.author === 'ai')).toBe(false);
  });

  test('when the model answers in plain text, then a question the help centre covers is answered, and one it does not goes to a person', async () => {
    // No marker in these texts: it would be part of the question the help centre is searched for.
    provider.setResponder(() => ({ status: 200, body: completion('Open Settings, then Security, and choose Reset password.') }));
    const covered = await webhook.post('/v1/tickets', buildTicket({ source, subject: 'Password', body: 'How do I reset my password?' }));
    const uncovered = await webhook.post('/v1/tickets', buildTicket({ source, subject: 'Banner', body: 'Why does the app show a purple banner?' }));

    const answered = await settled(covered.body.id);
    expect(answered.status).toBe('ai_answered');
    const ai = answered.messages.find((m: any) => m.author === 'ai');
    expect(ai).toMatchObject({ body: 'Open Settings, then Security, and choose Reset password.', disclosure: expect.stringContaining('AI') });
    expect(ai.confidence).toBeGreaterThanOrEqual(app.config.ai.minConfidence);
    expect(ai.sources[0]).toMatchObject({ slug: 'reset-password' });
    const escalated = await settled(uncovered.body.id);
    expect(escalated.status).toBe('human_queued');
    expect(escalated.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'AI_LOW_CONFIDENCE' })]));
  });

  test('when the model wraps its JSON in a code fence, then its own confidence decides', async () => {
    provider.setResponder(() => ({ status: 200, body: completion('```json\n{"answer":"Perhaps restart?","confidence":0.2,"sources":[]}\n```') }));
    const posted = await webhook.post('/v1/tickets', buildTicket({ source, subject: 'Password', body: 'How do I reset my password?' }));
    const ticket = await settled(posted.body.id);
    expect(ticket.status).toBe('human_queued');
    expect(ticket.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'AI_LOW_CONFIDENCE' })]));
    expect(ticket.messages.find((m: any) => m.author === 'ai')).toMatchObject({ internal: true, body: 'Perhaps restart?', confidence: 0.2 });
  });

  test('when the model is unsure, then its answer is kept as an internal draft and a person gets the ticket', async () => {
    const marker = randomUUID();
    provider.setResponder(() => ({ status: 200, body: completion(JSON.stringify({ answer: 'Perhaps try again later?', confidence: 0.2, sources: [] })) }));
    const posted = await webhook.post('/v1/tickets', buildTicket({ source, subject: `Odd ${marker}`, body: 'Why does the app show a purple banner?' }));
    const ticket = await settled(posted.body.id);
    expect(ticket.status).toBe('human_queued');
    expect(ticket.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'AI_LOW_CONFIDENCE' })]));
    // Never sent, but like every AI message it says an AI wrote it.
    expect(ticket.messages.find((m: any) => m.author === 'ai')).toMatchObject({
      internal: true, body: 'Perhaps try again later?', confidence: 0.2, disclosure: expect.stringContaining('AI'),
    });
  });
});
