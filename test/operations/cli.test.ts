import { execFile } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket } from '../support/factories';
import { setupDatabase } from '../../src/shared/db/setup-database';
import { createLogger } from '../../src/shared/logger';
import { ADMIN_KEY, TEST_PII_KEY, TEST_PII_KEY_2, startApp, type TestApp } from '../support/start-app';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** Runs `npm run cli -- ...args` as an operator would, against the test database. */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliWith({}, ...args);
}

function cliWith(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      [path.join(ROOT, 'src', 'cli', 'handoff.ts'), ...args],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          DATABASE_URL: process.env.TEST_DATABASE_URL,
          ADMIN_API_KEY: ADMIN_KEY,
          // Like the test apps: writes with k1, reads k2 too (another file rotates keys meanwhile).
          PII_ENCRYPTION_KEY: `k1:${TEST_PII_KEY},k2:${TEST_PII_KEY_2}`,
          ...env,
        },
        timeout: 60_000,
      },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('handoff CLI', () => {
  let app: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
  });
  afterAll(() => app.close());

  test('when a webhook key is created, then it is printed once and intake accepts it for its source only', async () => {
    const res = await cli('keys', 'create', '--role', 'webhook', '--source', 'zendesk', '--name', `cli-${randomUUID()}`, '--json');

    expect(res.code).toBe(0);
    const created = JSON.parse(res.stdout);
    expect(created).toMatchObject({ role: 'webhook', source: 'zendesk', key: expect.stringMatching(/^hk_webhook_/) });
    const hook = apiClient(app.url, created.key);
    expect((await hook.post('/v1/tickets', buildTicket())).status).toBe(202);
    expect((await hook.post('/v1/tickets', buildTicket({ source: 'intercom' }))).status).toBe(403);
  });

  test('when a webhook key is created without --source, then exit 1 names the option', async () => {
    const res = await cli('keys', 'create', '--role', 'webhook', '--name', 'no-source');

    expect(res.code).toBe(1);
    expect(res.stderr).toContain('--source');
  });

  test('when a key is revoked, then the API refuses it and the revocation is audited', async () => {
    const created = JSON.parse((await cli('keys', 'create', '--role', 'supervisor', '--name', `cli-${randomUUID()}`, '--json')).stdout);

    const res = await cli('keys', 'revoke', created.id);

    expect(res.code).toBe(0);
    expect((await apiClient(app.url, created.key).get('/v1/tickets/00000000-0000-4000-8000-000000000000')).status).toBe(401);
    const audit = await app.deps.db.auditLog.findMany({ where: { entity: 'api_key', entityId: created.id } });
    expect(audit.map((a) => [a.actorId, a.action])).toEqual(
      expect.arrayContaining([
        ['cli', 'api_key.create'],
        ['cli', 'api_key.revoke'],
      ]),
    );
  });

  test('when a ticket is shown, then its decisions, reasons and events are listed without personal data', async () => {
    const body = buildTicket({ body: 'I want to speak to a human about my order, please.' });
    const ticket = (await admin.post('/v1/tickets', body)).body;

    const human = await cli('ticket', ticket.id);
    const json = await cli('ticket', `zendesk/${body.externalId}`, '--json');

    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`Ticket ${ticket.id}`);
    expect(human.stdout).toContain('HUMAN_REQUESTED');
    expect(human.stdout).toContain('human_queued');
    expect(human.stdout).not.toContain('ana@example.com');
    expect(human.stdout).not.toContain('speak to a human');
    expect(JSON.parse(json.stdout)).toMatchObject({
      id: ticket.id,
      decisions: [{ trigger: 'intake', route: 'human', reasons: expect.arrayContaining([expect.objectContaining({ code: 'HUMAN_REQUESTED' })]) }],
      events: [{ type: 'human_queued' }],
    });
  });

  test('when the ticket does not exist, then exit 1 says so', async () => {
    const res = await cli('ticket', randomUUID());

    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^No ticket/);
  });

  test('when an operator creates an agent, then it exists offline with its skills, and bad input names the option', async () => {
    const res = await cli('agents-create', '--name', 'CLI Agent', '--email', 'cli.agent@example.com', '--skills', 'billing,technical', '--languages', 'en,es', '--capacity', '4', '--json');
    expect(res.code).toBe(0);
    const agent = JSON.parse(res.stdout);
    expect(agent).toMatchObject({ name: 'CLI Agent', skills: ['billing', 'technical'], languages: ['en', 'es'], capacity: 4, status: 'offline' });
    expect((await admin.get(`/v1/agents/${agent.id}`)).status).toBe(200);
    const bad = await cli('agents-create', '--name', 'X', '--email', 'not-an-email');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--email');
  });

  test('when failed deliveries are retried, then they are pending again for the delivery worker', async () => {
    const posted = await admin.post('/v1/tickets', buildTicket());
    const failed = await app.deps.db.delivery.create({
      data: { ticketId: posted.body.id, event: 'ticket.message', url: 'http://127.0.0.1:9/hook', status: 'failed', lastError: 'refused' },
    });
    const res = await cli('deliveries-retry', '--id', failed.id, '--json');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ retried: 1 });
    expect((await app.deps.db.delivery.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe('pending');
  });

  test('when retention and key rotation run from the CLI, then both finish with exit 0', async () => {
    // A database of its own: another test file rotates keys over the shared one at the same time.
    const url = `${process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/handoff_test'}_cli`;
    await setupDatabase(url, createLogger('silent'));
    const retention = await cliWith({ DATABASE_URL: url }, 'retention', '--days', '3650', '--json');
    expect(retention.code).toBe(0);
    expect(JSON.parse(retention.stdout)).toMatchObject({ days: 3650, tickets: expect.any(Number) });
    const rotation = await cliWith({ DATABASE_URL: url }, 'rotate-key', '--json');
    expect(rotation.code).toBe(0);
    expect(JSON.parse(rotation.stdout)).toMatchObject({ remaining: 0 });
  }, 120_000);
});
