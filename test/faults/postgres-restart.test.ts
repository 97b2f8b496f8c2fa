import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { apiClient } from '../support/api-client';
import { buildTicket } from '../support/factories';
import { eventually, startLocalServer } from '../support/local-server';
import { freePort, startHandoff, startPostgres, startRedis, waitForOutput, type PrivatePostgres, type Proc } from '../support/processes';
import { ADMIN_KEY } from '../support/start-app';

// Postgres is crashed under load; it is a private cluster, never the machine's shared one.
jest.setTimeout(240_000);

const ROUTINE = 'How do I reset my password?';
const HUMAN = 'I want to talk to a human agent, not a bot.';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sent {
  externalId: string;
  ticket: ReturnType<typeof buildTicket>;
  statuses: number[];
  retryAfter: (string | null)[];
}

describe('postgres restart', () => {
  let postgres: PrivatePostgres;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let callback: Awaited<ReturnType<typeof startLocalServer>>;
  let db: pg.Pool;
  const procs: Proc[] = [];

  beforeAll(async () => {
    [postgres, redis, callback] = await Promise.all([startPostgres(), startRedis(), startLocalServer()]);
    db = new pg.Pool({ connectionString: postgres.url('handoff'), max: 2 });
    db.on('error', () => undefined);
  });

  afterAll(async () => {
    for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await db?.end();
    await Promise.all([postgres?.destroy(), redis?.stop(), callback?.close()]);
  });

  test('when Postgres crashes and comes back under load, then API and worker reconnect by themselves and every acknowledged ticket is stored once and answered', async () => {
    const port = await freePort();
    const common = {
      DATABASE_URL: postgres.url('handoff'),
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `pg-restart-${randomUUID()}`,
      SWEEP_INTERVAL_MS: '1000',
      AI_RETRY_DELAY_MS: '500',
      DELIVERY_RETRY_DELAY_MS: '500',
      LOG_LEVEL: 'warn',
    };
    // The API migrates the empty database first; the worker starts on the migrated schema.
    const api = startHandoff({ ...common, ROLE: 'api', PORT: String(port), DB_AUTO_MIGRATE: 'true', LOG_LEVEL: 'info' });
    procs.push(api);
    await waitForOutput(api, 'handoff listening', 90_000);
    const worker = startHandoff({ ...common, ROLE: 'worker', LOG_LEVEL: 'info' });
    procs.push(worker);
    await waitForOutput(worker, 'handoff workers running', 60_000);
    const pids = [api.child.pid, worker.child.pid];
    const client = apiClient(`http://127.0.0.1:${port}`, ADMIN_KEY);

    const sent: Sent[] = [];
    let posting = true;
    let phase: 'before' | 'outage' | 'after' = 'before';
    const byPhase = { before: [] as number[], outage: [] as number[], after: [] as number[] };
    const poster = async (n: number) => {
      for (let i = 0; posting; i++) {
        const ticket = buildTicket({ body: (i + n) % 3 === 0 ? HUMAN : ROUTINE, callbackUrl: `${callback.url}/hooks` });
        const entry: Sent = { externalId: ticket.externalId, ticket, statuses: [], retryAfter: [] };
        sent.push(entry);
        const at = phase;
        try {
          const res = await client.post('/v1/tickets', ticket);
          entry.statuses.push(res.status);
          entry.retryAfter.push(res.headers.get('retry-after'));
          byPhase[at].push(res.status);
        } catch {
          entry.statuses.push(0);
          byPhase[at].push(0);
        }
        await sleep(40);
      }
    };
    const posters = [0, 1, 2].map(poster);
    const ready = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      return { status: res.status, body: (await res.json()) as { checks?: { postgres: string; redis: string } } };
    };

    await sleep(4_000);
    expect((await ready()).status).toBe(200);
    phase = 'outage';
    const crashedAt = Date.now();
    await postgres.crash();
    // Postgres stays down for a few seconds while the posters keep going.
    const downReady = await eventually(async () => {
      const r = await ready();
      return r.status === 503 ? r : null;
    }, 10_000, 200);
    await sleep(5_000);
    await postgres.start();
    const downMs = Date.now() - crashedAt;
    phase = 'after';
    const upReady = await eventually(async () => {
      const r = await ready();
      return r.status === 200 ? r : null;
    }, 60_000, 250);
    const recoveredMs = Date.now() - crashedAt;
    await eventually(async () => byPhase.after.includes(202), 60_000, 200);
    await sleep(4_000);
    posting = false;
    await Promise.all(posters);

    // Every request that got no 2xx is sent again now, as a helpdesk would.
    const refused = sent.filter((s) => !s.statuses.some((c) => c >= 200 && c < 300));
    const halfWay: string[] = [];
    for (const s of refused) {
      const { rows } = await db.query(
        `SELECT t.id, (SELECT count(*) FROM messages m WHERE m.ticket_id = t.id AND m.author = 'customer')::int AS msgs,
                (SELECT count(*) FROM decisions d WHERE d.ticket_id = t.id AND d.trigger = 'intake')::int AS decisions
           FROM tickets t WHERE t.external_id = $1`,
        [s.externalId],
      );
      if (rows.length > 1 || (rows.length === 1 && (rows[0].msgs !== 1 || rows[0].decisions !== 1))) halfWay.push(s.externalId);
      const res = await client.post('/v1/tickets', s.ticket);
      s.statuses.push(res.status);
    }
    const retriedOk = refused.filter((s) => [200, 202].includes(s.statuses[s.statuses.length - 1])).length;

    // Quiescence: nothing ai_queued, no delivery pending.
    const ids = sent.map((s) => s.externalId);
    await eventually(async () => {
      const { rows } = await db.query(
        `SELECT (SELECT count(*) FROM tickets WHERE external_id = ANY($1) AND status = 'ai_queued')::int AS queued,
                (SELECT count(*) FROM deliveries WHERE status = 'pending')::int AS pending`,
        [ids],
      );
      return rows[0].queued === 0 && rows[0].pending === 0;
    }, 120_000, 500);

    const { rows: [c] } = await db.query(
      `WITH t AS (SELECT * FROM tickets WHERE external_id = ANY($1)),
       per_id AS (SELECT external_id, count(*) AS n FROM t GROUP BY external_id),
       m AS (SELECT m.* FROM messages m JOIN t ON t.id = m.ticket_id),
       visible AS (SELECT * FROM m WHERE author IN ('ai', 'agent', 'system') AND NOT internal),
       per_ticket AS (
         SELECT t.id, t.status, t.route,
           (SELECT count(*) FROM m WHERE m.ticket_id = t.id AND m.author = 'customer') AS customer,
           (SELECT count(*) FROM visible v WHERE v.ticket_id = t.id AND v.author = 'ai') AS ai,
           (SELECT count(*) FROM visible v WHERE v.ticket_id = t.id AND v.author = 'system') AS notices,
           (SELECT count(*) FROM decisions d WHERE d.ticket_id = t.id AND d.trigger = 'intake') AS decisions
         FROM t)
       SELECT
         (SELECT count(*) FROM t)::int AS stored,
         (SELECT count(*) FROM per_id WHERE n > 1)::int AS doubled,
         (SELECT count(*) FROM per_ticket WHERE customer <> 1 OR decisions <> 1)::int AS incomplete,
         (SELECT count(*) FROM per_ticket WHERE status = 'ai_answered')::int AS answered,
         (SELECT count(*) FROM per_ticket WHERE status = 'ai_answered' AND (ai <> 1 OR notices <> 0))::int AS answered_wrong,
         (SELECT count(*) FROM per_ticket WHERE status = 'human_queued')::int AS human,
         (SELECT count(*) FROM per_ticket WHERE status = 'human_queued' AND route = 'human' AND ai <> 0)::int AS human_with_ai,
         (SELECT count(*) FROM per_ticket WHERE status = 'human_queued' AND notices > 1)::int AS notices_doubled,
         (SELECT count(*) FROM per_ticket WHERE status NOT IN ('ai_answered', 'human_queued'))::int AS other_state,
         (SELECT count(*) FROM visible)::int AS visible,
         (SELECT count(*) FROM visible v WHERE (SELECT count(*) FROM deliveries d WHERE d.message_id = v.id) <> 1)::int AS visible_without_one_delivery,
         (SELECT count(*) FROM deliveries d JOIN t ON t.id = d.ticket_id WHERE d.status <> 'delivered')::int AS undelivered`,
      [ids],
    );
    const visibleIds = new Set((await db.query(`SELECT m.id FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.external_id = ANY($1) AND m.author IN ('ai', 'agent', 'system') AND NOT m.internal`, [ids])).rows.map((r) => r.id));
    const posts = new Map<string, number>();
    for (const r of callback.received) if (visibleIds.has(r.json?.message?.id)) posts.set(r.json.message.id, (posts.get(r.json.message.id) ?? 0) + 1);
    const acknowledged = sent.filter((s) => s.statuses.some((code) => code === 200 || code === 202)).length;
    const count = (list: number[], code: number) => list.filter((s) => s === code).length;
    const logged = (text: string) => worker.output().split('\n').filter((l) => l.includes(text)).length;
    const outage503 = sent.filter((s) => s.statuses.includes(503));
    console.log(
      `[postgres restart] injected: pg_ctl stop -m immediate under load (3 posters), down ${downMs} ms, /readyz 200 again ${recoveredMs} ms after the crash, 1 api + 1 worker never restarted; ` +
        `answers before: ${count(byPhase.before, 202)}×202; during/after the crash: ${count(byPhase.outage, 202)}×202 ${count(byPhase.outage, 503)}×503 ${byPhase.outage.filter((s) => ![202, 503].includes(s)).length}×other; ` +
        `after restart: ${count(byPhase.after, 202)}×202 ${count(byPhase.after, 503)}×503 ${byPhase.after.filter((s) => ![202, 503].includes(s)).length}×other; ` +
        `/readyz while down: ${downReady.status} ${JSON.stringify(downReady.body.checks)}; ` +
        `counted: posted ${sent.length}, acknowledged ${acknowledged}, refused then retried ${refused.length} (accepted on retry ${retriedOk}, stored half-way ${halfWay.length}), ` +
        `stored ${c.stored}, doubled ${c.doubled}, incomplete ${c.incomplete}, ai_answered ${c.answered} (wrong messages ${c.answered_wrong}), human_queued ${c.human} (human-routed with an AI message ${c.human_with_ai}), other states ${c.other_state}, ` +
        `customer-visible messages ${c.visible} (without exactly one delivery ${c.visible_without_one_delivery}, undelivered ${c.undelivered}), POSTed to the callback ${posts.size} (more than once ${[...posts.values()].filter((n) => n > 1).length}); ` +
        `worker log: failed sweeps ${logged('sweep failed')}, failed AI jobs revived ${logged('failed ai job revived')}`,
    );

    expect(downReady.body.checks).toEqual({ postgres: 'down', redis: 'up' });
    expect(upReady.body.checks).toEqual({ postgres: 'up', redis: 'up' });
    expect(outage503.length).toBeGreaterThan(0);
    for (const s of outage503) expect(s.retryAfter[s.statuses.indexOf(503)]).toBeTruthy();
    expect(byPhase.outage.filter((s) => ![202, 503].includes(s))).toEqual([]);
    expect(byPhase.after.filter((s) => ![202, 503].includes(s))).toEqual([]);
    expect(halfWay).toEqual([]);
    expect(retriedOk).toBe(refused.length);
    expect(acknowledged).toBe(sent.length);
    expect(c.stored).toBe(sent.length);
    expect(c.doubled).toBe(0);
    expect(c.incomplete).toBe(0);
    expect(c.answered).toBeGreaterThan(0);
    expect(c.answered_wrong).toBe(0);
    expect(c.human_with_ai).toBe(0);
    expect(c.notices_doubled).toBe(0);
    expect(c.other_state).toBe(0);
    expect(c.visible_without_one_delivery).toBe(0);
    expect(c.undelivered).toBe(0);
    expect(posts.size).toBe(c.visible);
    expect([api.child.pid, worker.child.pid]).toEqual(pids);
    expect([api.child.exitCode, worker.child.exitCode]).toEqual([null, null]);
  });
});
