import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket, createKey } from '../support/factories';
import { eventually } from '../support/local-server';
import { freePort, startHandoff, waitForOutput, type Proc } from '../support/processes';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { setupDatabase } from '../../src/shared/db/setup-database';
import { createLogger } from '../../src/shared/logger';
import { DEFAULT_POLICY } from '../../src/modules/routing';
import { seedHistory, type PastTicket } from './history';

/**
 * Activation changes what every process decides, so these tests own a database of their own: the
 * other test files keep routing with the default policy while this one switches versions.
 */
const BASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/handoff_test';
const DB_URL = BASE_URL.replace(/\/([^/?]+)(\?|$)/, '/$1_activation$2');
const DAY = 86_400_000;

async function recreateDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  await client.end();
  await setupDatabase(url, createLogger('silent'));
}

/** 40 English- and 40 Portuguese-speaking customers over the last two weeks, all routine: everyone got the AI. */
function history(): PastTicket[] {
  const channels = ['email', 'chat', 'web', 'phone', 'social'] as const;
  const tiers = ['standard', 'premium', 'vip'] as const;
  return Array.from({ length: 80 }, (_, i) => {
    const language = i % 2 === 0 ? 'en' : 'pt';
    return {
      sentiment: 0.1, complexity: 0.2, flags: [], language, aiOptOut: false, recentTicketCount: 0,
      tier: tiers[i % 3], locale: language, channel: channels[i % 5],
      createdAt: new Date(Date.now() - (i + 1) * 4 * 3_600_000),
    };
  });
}

describe('policy activation', () => {
  let app: TestApp;
  let admin: ApiClient;
  let pool: pg.Pool;
  const procs: Proc[] = [];
  const others: TestApp[] = [];
  const prefix = `test-${randomUUID()}`;

  beforeAll(async () => {
    await recreateDatabase(DB_URL);
    app = await startApp({ DATABASE_URL: DB_URL, QUEUE_PREFIX: prefix });
    admin = apiClient(app.url, ADMIN_KEY);
    pool = new pg.Pool({ connectionString: DB_URL, max: 2 });
    await seedHistory(pool, history(), DEFAULT_POLICY);
  }, 60_000);
  afterAll(async () => {
    for (const p of procs) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
    for (const o of others) await o.close();
    await pool.end();
    await app.close();
  });

  async function draft(policy: Record<string, unknown>): Promise<string> {
    const res = await admin.post('/v1/policies', { policy });
    expect(res.status).toBe(201);
    return res.body.version;
  }
  const activeVersion = async () => (await admin.get('/v1/policies')).body.items.find((p: { active: boolean }) => p.active)?.version;

  it('when a database has no policy yet, then the configured default is seeded as the only active version', async () => {
    const res = await admin.get('/v1/policies');

    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ version: DEFAULT_POLICY.version, status: 'active', active: true, createdBy: 'system:seed' }),
    ]);
    expect(res.body.items[0].policy).toEqual({ ...DEFAULT_POLICY, version: undefined });
  });

  describe('the fairness guard', () => {
    it('when a version would leave a group far behind, then it is refused without force, and activated with force and a reason that the audit log keeps', async () => {
      // Portuguese no longer served: the pt group's AI share falls to 0 while en keeps 1.
      const version = await draft({ aiLanguages: ['en', 'es', 'fr', 'de'] });

      const refused = await admin.post(`/v1/policies/${version}/activate`, {});
      const noReason = await admin.post(`/v1/policies/${version}/activate`, { force: true });
      const blankReason = await admin.post(`/v1/policies/${version}/activate`, { force: true, reason: '   ' });

      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(refused.body.code).toBe('CONFLICT');
      expect(refused.body.detail).toContain('locale.pt');
      expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'fairness.locale.pt' })]);
      expect(noReason.status).toBe(400);
      expect(noReason.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
      expect(blankReason.status).toBe(400);
      expect(await activeVersion()).toBe(DEFAULT_POLICY.version);

      const reason = 'Portuguese tickets go to the new Lisbon team for the pilot; agreed with the fairness board.';
      const forced = await admin.post(`/v1/policies/${version}/activate`, { force: true, reason });

      expect(forced.status).toBe(200);
      expect(forced.body).toMatchObject({ version, status: 'active', active: true });
      expect(await activeVersion()).toBe(version);
      const previous = await admin.get(`/v1/policies/${DEFAULT_POLICY.version}`);
      expect(previous.body).toMatchObject({ status: 'retired', active: false });
      expect(previous.body.retiredAt).not.toBeNull();
      const audit = await admin.get(`/v1/audit?entity=routing_policy&entityId=${version}&action=policy.activate`);
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          actor: { id: 'env-admin', role: 'admin' },
          detail: expect.objectContaining({ force: true, reason, previous: DEFAULT_POLICY.version, newlyFlagged: ['fairness.locale.pt'] }),
        }),
      ]);
      expect(app.deps.policies.current().version).toBe(version);
    });

    it('when a version flags nobody new, then it activates without force, and a retired version can be activated again', async () => {
      const calmer = await draft({ highComplexityThreshold: 0.9, aiLanguages: DEFAULT_POLICY.aiLanguages });

      const res = await admin.post(`/v1/policies/${calmer}/activate`, {});
      const again = await admin.post(`/v1/policies/${calmer}/activate`, {});
      const back = await admin.post(`/v1/policies/${DEFAULT_POLICY.version}/activate`, {});

      expect(res.status).toBe(200);
      expect(again.status).toBe(200);
      expect(back.status).toBe(200);
      expect(await activeVersion()).toBe(DEFAULT_POLICY.version);
      const { body } = await admin.get('/v1/policies?limit=200');
      expect(body.items.filter((p: { active: boolean }) => p.active)).toHaveLength(1);
      // Activating the active one is a no-op: one audit entry, not two.
      const audit = await admin.get(`/v1/audit?entity=routing_policy&entityId=${calmer}&action=policy.activate`);
      expect(audit.body.items).toHaveLength(1);
    });
  });

  it('when a version is activated on one process, then a second API process routes its next ticket with it', async () => {
    const port = await freePort();
    // A poll that never comes within the test: only the Redis notice can reach this process in time.
    const second = startHandoff({ DATABASE_URL: DB_URL, QUEUE_PREFIX: prefix, PORT: String(port), ROLE: 'api', POLICY_REFRESH_MS: '3600000' });
    procs.push(second);
    await waitForOutput(second, 'handoff listening');
    const client = apiClient(`http://127.0.0.1:${port}`, ADMIN_KEY);
    const before = await client.post('/v1/tickets', buildTicket());
    expect(before.status).toBe(202);
    expect(before.body.route).toBe('ai');

    const english = await draft({ aiLanguages: ['es', 'fr', 'de', 'pt'] });
    const activated = await admin.post(`/v1/policies/${english}/activate`, { force: true, reason: 'Propagation test: English goes to people.' });
    expect(activated.status).toBe(200);

    const ticket = await eventually(async () => {
      const res = await client.post('/v1/tickets', buildTicket());
      return res.body.route === 'human' ? res.body : undefined;
    }, 10_000, 100);
    expect(ticket.reasons).toEqual([expect.objectContaining({ code: 'LANGUAGE_UNSUPPORTED' })]);
    const stored = await client.get(`/v1/tickets/${ticket.id}`);
    expect(stored.body.decisions).toEqual([expect.objectContaining({ trigger: 'intake', route: 'human', policyVersion: english })]);
  }, 60_000);

  it('when older intake decisions lack the stored routing inputs, then the migration derives them from their reasons and ticket', async () => {
    const at = new Date(Date.now() - 40 * DAY);
    const old: PastTicket[] = [
      { sentiment: 0, complexity: 0.2, flags: [], language: 'en', aiOptOut: true, recentTicketCount: 4, tier: 'vip', locale: 'fr', channel: 'phone', createdAt: at },
      { sentiment: 0, complexity: 0.2, flags: [], language: 'en', aiOptOut: false, recentTicketCount: 2, tier: 'premium', locale: null, channel: 'chat', createdAt: at },
    ];
    // Decided as the seeded default of those days did (policy-2026.11.1: three earlier tickets were a repeat contact).
    const ids = await seedHistory(pool, old, { ...DEFAULT_POLICY, version: 'policy-2026.11.1', repeatContactThreshold: 3 });
    await pool.query(
      `UPDATE decisions SET ai_opt_out = NULL, recent_ticket_count = NULL, customer_tier = NULL, customer_locale = NULL, channel = NULL WHERE ticket_id = ANY($1::uuid[])`,
      [ids],
    );
    const migration = fs.readFileSync(path.resolve(__dirname, '../../prisma/migrations/20261127110100_routing_policies/migration.sql'), 'utf8');
    const backfill = migration.slice(migration.indexOf('UPDATE "decisions"'), migration.indexOf(';', migration.indexOf('UPDATE "decisions"')));

    await pool.query(`${backfill} AND d.ticket_id = ANY($1::uuid[])`, [ids]);

    const { rows } = await pool.query(
      `SELECT ai_opt_out, recent_ticket_count, customer_tier::text AS tier, customer_locale, channel::text AS channel FROM decisions WHERE ticket_id = ANY($1::uuid[]) ORDER BY customer_tier`,
      [ids],
    );
    // The second count was under the threshold, so no reason recorded it: 0 is the documented lower bound.
    expect(rows).toEqual([
      { ai_opt_out: false, recent_ticket_count: 0, tier: 'premium', customer_locale: null, channel: 'chat' },
      { ai_opt_out: true, recent_ticket_count: 4, tier: 'vip', customer_locale: 'fr', channel: 'phone' },
    ]);
  });

  it('when an installation still runs the seeded default of policy-2026.11.1, then the migration moves it to the same document without repeat-contact routing', async () => {
    const migration = fs.readFileSync(path.resolve(__dirname, '../../prisma/migrations/20261129110000_repeat_contact_off/migration.sql'), 'utf8');
    const client = await pool.connect();
    try {
      // Inside a transaction that is rolled back, so the other tests keep their active version.
      await client.query('BEGIN');
      await client.query(`UPDATE routing_policies SET status = 'retired' WHERE status = 'active'`);
      const seeded = { ...DEFAULT_POLICY, version: undefined, repeatContactThreshold: 3, negativeSentimentThreshold: -0.6 };
      await client.query(
        `INSERT INTO routing_policies (version, status, document, created_by, activated_at) VALUES ('policy-2026.11.1+cfg(s-0.6,c0.7,l.en)', 'active', $1, 'system:seed', now())`,
        [JSON.stringify(seeded)],
      );

      await client.query(migration);

      const { rows } = await client.query(`SELECT version, status::text, document FROM routing_policies WHERE version LIKE 'policy-2026.11._+cfg(s-0.6%' ORDER BY version`);
      expect(rows).toEqual([
        { version: 'policy-2026.11.1+cfg(s-0.6,c0.7,l.en)', status: 'retired', document: seeded },
        { version: 'policy-2026.11.2+cfg(s-0.6,c0.7,l.en)', status: 'active', document: { ...seeded, repeatContactThreshold: null } },
      ]);
      // A version an admin activated is left alone.
      await client.query(`UPDATE routing_policies SET status = 'retired' WHERE status = 'active'`);
      await client.query(`INSERT INTO routing_policies (version, status, document, created_by, activated_at) VALUES ('policy-2026.11.1-mine', 'active', $1, 'env-admin', now())`, [JSON.stringify(seeded)]);
      await client.query(migration);
      expect((await client.query(`SELECT version FROM routing_policies WHERE status = 'active'`)).rows).toEqual([{ version: 'policy-2026.11.1-mine' }]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('when an installation still runs the seeded default of policy-2026.11.2, then the migration moves it to the same document with the sentiment threshold at -0.85, unless the threshold was set', async () => {
    const migration = fs.readFileSync(path.resolve(__dirname, '../../prisma/migrations/20261130000000_sentiment_threshold/migration.sql'), 'utf8');
    const client = await pool.connect();
    const active = async () => (await client.query(`SELECT version, document FROM routing_policies WHERE status = 'active'`)).rows;
    const seed = async (version: string, document: object) => {
      await client.query(`UPDATE routing_policies SET status = 'retired' WHERE status = 'active'`);
      await client.query(`INSERT INTO routing_policies (version, status, document, created_by, activated_at) VALUES ($1, 'active', $2, 'system:seed', now())`, [version, JSON.stringify(document)]);
    };
    try {
      // Inside a transaction that is rolled back, so the other tests keep their active version.
      await client.query('BEGIN');
      const seeded = { ...DEFAULT_POLICY, version: undefined, negativeSentimentThreshold: -0.7, aiLanguages: ['en', 'es'] };

      await seed('policy-2026.11.2+cfg(s-0.7,c0.7,len.es)', seeded);
      await client.query(migration);
      expect(await active()).toEqual([{ version: 'policy-2026.11.3+cfg(s-0.85,c0.7,len.es)', document: { ...seeded, negativeSentimentThreshold: -0.85 } }]);
      expect((await client.query(`SELECT status::text FROM routing_policies WHERE version = 'policy-2026.11.2+cfg(s-0.7,c0.7,len.es)'`)).rows).toEqual([{ status: 'retired' }]);

      await seed('policy-2026.11.2', { ...seeded, aiLanguages: DEFAULT_POLICY.aiLanguages });
      await client.query(migration);
      expect(await active()).toEqual([{ version: 'policy-2026.11.3', document: { ...seeded, aiLanguages: DEFAULT_POLICY.aiLanguages, negativeSentimentThreshold: -0.85 } }]);

      // A threshold set through ROUTING_NEGATIVE_SENTIMENT was an operator's choice, and stays.
      await seed('policy-2026.11.2+cfg(s-0.6,c0.7,len.es)', { ...seeded, negativeSentimentThreshold: -0.6 });
      await client.query(migration);
      expect(await active()).toEqual([{ version: 'policy-2026.11.2+cfg(s-0.6,c0.7,len.es)', document: { ...seeded, negativeSentimentThreshold: -0.6 } }]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('when a version turns repeat contact on, then a routine question from a customer past the threshold goes to a person with REPEAT_CONTACT quoting the count', async () => {
    const version = await draft({ repeatContactThreshold: 3, aiLanguages: DEFAULT_POLICY.aiLanguages });
    expect((await admin.post(`/v1/policies/${version}/activate`, { force: true, reason: 'Repeat contact test.' })).status).toBe(200);
    expect(app.deps.policies.current().repeatContactThreshold).toBe(3);
    const webhook = apiClient(app.url, await createKey(admin, { name: `wh-${randomUUID()}`, role: 'webhook', source: 'zendesk' }));
    const customer = { externalId: `cust-repeat-${randomUUID()}` };
    const storedCount = async (ticketId: string) => (await app.deps.db.decision.findFirstOrThrow({ where: { ticketId } })).recentTicketCount;

    for (let earlier = 0; earlier < 3; earlier++) {
      const res = await webhook.post('/v1/tickets', buildTicket({ customer }));
      expect(res.body).toMatchObject({ route: 'ai', status: 'ai_queued', reasons: [expect.objectContaining({ code: 'ROUTINE' })] });
      expect(await storedCount(res.body.id)).toBe(earlier);
    }

    const routine = await webhook.post('/v1/tickets', buildTicket({ customer }));
    expect(routine.status).toBe(202);
    expect(routine.body).toMatchObject({ route: 'human', status: 'human_queued' });
    expect(routine.body.reasons).toEqual([{ code: 'REPEAT_CONTACT', detail: '3 earlier tickets from this customer in 72 h.' }]);
    expect(await storedCount(routine.body.id)).toBe(3);
    expect(await app.deps.queues.aiAnswer.getJob(routine.body.id)).toBeUndefined();

    // Two at once may share a statement: neither counts the other, or the later counts the earlier.
    const both = await Promise.all([
      webhook.post('/v1/tickets', buildTicket({ customer })),
      webhook.post('/v1/tickets', buildTicket({ customer, body: 'I want to talk to a real person about my order, please.' })),
    ]);
    for (const res of both) {
      expect(res.status).toBe(202);
      expect(res.body.route).toBe('human');
      const repeat = res.body.reasons.find((r: { code: string }) => r.code === 'REPEAT_CONTACT');
      expect(repeat.detail).toMatch(/^(4|5) earlier tickets/);
      expect(await storedCount(res.body.id)).toBe(Number(repeat.detail.split(' ')[0]));
    }
    expect(both[1].body.reasons.map((r: { code: string }) => r.code)).toEqual(['HUMAN_REQUESTED', 'REPEAT_CONTACT']);
  });

  it('when a process misses the notice, then its poll of Postgres switches it anyway', async () => {
    // Another prefix is another channel: this app hears no notices from `app`.
    const deaf = await startApp({ DATABASE_URL: DB_URL, POLICY_REFRESH_MS: '200' });
    others.push(deaf);
    const version = await draft({ highComplexityThreshold: 0.85 });

    const res = await admin.post(`/v1/policies/${version}/activate`, { force: true, reason: 'Poll test.' });

    expect(res.status).toBe(200);
    await eventually(async () => deaf.deps.policies.current().version === version, 10_000, 50);
  });
});
