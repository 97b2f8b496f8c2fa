import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { apiClient, type ApiClient } from '../support/api-client';
import { createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';

/**
 * Property: whatever a sender posts to intake, the answer is never a 5xx, and a refused request
 * leaves no ticket, customer or message behind.
 */
describe('intake schema fuzzing', () => {
  let app: TestApp;
  let webhook: ApiClient;
  const source = `fuzz-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    app = await startApp({ CALLBACK_ALLOWED_HOSTS: '' });
    webhook = apiClient(app.url, await createKey(apiClient(app.url, ADMIN_KEY), { role: 'webhook', source }));
  });
  afterAll(() => app.close());

  // Each field is usually plausible and sometimes anything at all, so both shallow and deep checks are hit.
  const maybe = <T>(plausible: fc.Arbitrary<T>) => fc.oneof({ weight: 30, arbitrary: plausible }, { weight: 1, arbitrary: fc.jsonValue() });
  const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) => fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: invalid });
  const text = fc.oneof(
    { weight: 30, arbitrary: fc.string({ minLength: 1 }).filter((x) => x.trim().length > 0) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u0000', 'x'.repeat(600), '<script>', "' OR 1=1") },
  );
  const customer = fc.record(
    {
      externalId: maybe(text),
      email: maybe(mostly(fc.constantFrom('ana@example.com', 'b.c+d@example.org'), fc.constantFrom('not-an-email', '@'))),
      name: maybe(text),
      phone: maybe(text),
      locale: maybe(mostly(fc.constantFrom('en', 'es', 'pt-BR', 'fr'), fc.constantFrom('xx-', '', 'e'))),
      tier: maybe(mostly(fc.constantFrom('standard', 'premium', 'vip'), fc.constant('gold'))),
      aiOptOut: maybe(fc.boolean()),
    },
    { requiredKeys: ['externalId'] },
  );
  const ticket = fc.record(
    {
      source: maybe(mostly(fc.constant(source), fc.constantFrom(source.toUpperCase(), '', 'other'))),
      externalId: maybe(fc.uuid()),
      channel: maybe(mostly(fc.constantFrom('email', 'chat', 'web', 'phone', 'social'), fc.constant('fax'))),
      subject: maybe(text),
      body: maybe(text),
      customer: maybe(customer),
      callbackUrl: maybe(mostly(fc.constant('https://helpdesk.example.com/hook'), fc.constantFrom('http://127.0.0.1/', 'javascript:alert(1)', 'http://[::1]/', 'nope'))),
      metadata: maybe(fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 5 })),
    },
    // Required fields are usually present so that valid tickets occur; maybe() still makes them wrong.
    { requiredKeys: ['source', 'externalId', 'body', 'customer'] },
  );
  const anyBody = fc.oneof({ weight: 10, arbitrary: ticket.map((t) => JSON.stringify(t)) }, { weight: 1, arbitrary: fc.json() }, { weight: 1, arbitrary: fc.string() });

  const counts = async () => {
    const [tickets, customers] = await Promise.all([app.deps.db.ticket.count({ where: { source } }), app.deps.db.customer.count({ where: { source } })]);
    return { tickets, customers };
  };

  test('when random bodies are posted, then never a 5xx and nothing is stored for a refusal', async () => {
    const seen = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(anyBody, async (raw) => {
        const before = await counts();
        const res = await webhook.post('/v1/tickets', raw, { 'content-type': 'application/json' });
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          seen.refused++;
          expect(res.headers.get('content-type')).toMatch(/problem\+json/);
          expect(await counts()).toEqual(before);
        } else {
          seen.accepted++;
          expect([200, 202]).toContain(res.status);
          // Random text is mostly of unknown language ('und'), which fits every agent: left waiting,
          // these tickets were claimed by other test files' agents running at the same time.
          await app.deps.db.ticket.updateMany({ where: { source, status: 'human_queued' }, data: { status: 'resolved', resolvedAt: new Date() } });
        }
      }),
      { numRuns: 300 },
    );
    // Guards against a generator that only ever produces garbage (or only valid tickets).
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});
