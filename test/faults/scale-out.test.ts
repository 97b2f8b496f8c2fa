import { randomUUID } from 'node:crypto';
import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket } from '../support/factories';
import { eventually } from '../support/local-server';
import { freePort, startHandoff, startRedis, waitForOutput, type Proc } from '../support/processes';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';

// Four real processes share one Postgres and one Redis; the reconciliation at the end is the proof.
jest.setTimeout(150_000);

const ROUTINE = 'How do I reset my password?';
const HUMAN = 'I want to talk to a human agent, not a bot.';
const UNIQUE_TICKETS = 1_000;
const HUMAN_SHARE = 0.6;
const DUPLICATED = 150;
const CONCURRENCY = 24;

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    }),
  );
  return out;
}

describe('scale-out', () => {
  const procs: Proc[] = [];
  let app: TestApp;
  let redis: Awaited<ReturnType<typeof startRedis>>;

  beforeAll(async () => {
    redis = await startRedis();
    // Seeds the shared database and gives the test its own read access to it.
    app = await startApp({ REDIS_URL: redis.url });
  });

  afterAll(async () => {
    for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await app.close();
    await redis.stop();
  });

  test('when two API and two worker processes share the work, then every ticket is stored, decided and answered exactly once', async () => {
    const prefix = `scale-${randomUUID()}`;
    const common = { REDIS_URL: redis.url, QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn', WORKER_CONCURRENCY: '8', SWEEP_INTERVAL_MS: '2000' };
    const ports = [await freePort(), await freePort()];
    const apis = ports.map((port) => startHandoff({ ...common, ROLE: 'api', PORT: String(port), LOG_LEVEL: 'info' }));
    const workers = [0, 1].map(() => startHandoff({ ...common, ROLE: 'worker', LOG_LEVEL: 'info' }));
    procs.push(...apis, ...workers);
    await Promise.all([...apis.map((p) => waitForOutput(p, 'handoff listening')), ...workers.map((p) => waitForOutput(p, 'handoff workers running'))]);
    const clients: ApiClient[] = ports.map((port) => apiClient(`http://127.0.0.1:${port}`, ADMIN_KEY));

    const source = `scale-${randomUUID().slice(0, 8)}`;
    const tickets = Array.from({ length: UNIQUE_TICKETS }, (_, i) => buildTicket({ source, body: i < UNIQUE_TICKETS * HUMAN_SHARE ? HUMAN : ROUTINE }));
    // Shuffled so both kinds interleave; each duplicate goes to both APIs at the same moment.
    tickets.sort(() => Math.random() - 0.5);
    const duplicated = new Set(tickets.slice(0, DUPLICATED));
    const statuses: number[] = [];
    await pool(
      tickets.map((t, i) => async () => {
        if (duplicated.has(t)) {
          const [a, b] = await Promise.all(clients.map((c) => c.post('/v1/tickets', t)));
          statuses.push(a.status, b.status);
        } else {
          statuses.push((await clients[i % 2].post('/v1/tickets', t)).status);
        }
      }),
      CONCURRENCY,
    );
    const created = statuses.filter((s) => s === 202).length;
    const repeated = statuses.filter((s) => s === 200).length;

    await eventually(async () => {
      const [{ n }] = await app.deps.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM tickets WHERE source = ${source} AND status = 'ai_queued'`;
      return n === 0n;
    }, 90_000, 500);

    const [counts] = await app.deps.db.$queryRaw<Record<string, bigint>[]>`
      WITH t AS (SELECT * FROM tickets WHERE source = ${source}),
      per_id AS (SELECT external_id, count(*) AS n FROM t GROUP BY external_id),
      intake AS (SELECT t.id, count(d.id) AS n, min(d.route::text) AS route FROM t LEFT JOIN decisions d ON d.ticket_id = t.id AND d.trigger = 'intake' GROUP BY t.id),
      ai AS (SELECT t.id, t.status, i.route,
               count(m.id) FILTER (WHERE NOT m.internal) AS sent, count(m.id) AS any_ai
             FROM t JOIN intake i ON i.id = t.id LEFT JOIN messages m ON m.ticket_id = t.id AND m.author = 'ai' GROUP BY t.id, t.status, i.route)
      SELECT
        (SELECT count(*) FROM t) AS stored,
        (SELECT count(*) FROM per_id WHERE n > 1) AS doubled_ids,
        (SELECT count(*) FROM intake WHERE n <> 1) AS bad_decisions,
        (SELECT count(*) FROM ai WHERE status = 'ai_answered') AS ai_answered,
        (SELECT count(*) FROM ai WHERE status = 'ai_answered' AND sent <> 1) AS ai_not_once,
        (SELECT count(*) FROM ai WHERE route = 'human') AS human_routed,
        (SELECT count(*) FROM ai WHERE route = 'human' AND any_ai > 0) AS human_with_ai,
        (SELECT count(*) FROM ai WHERE route = 'ai' AND status = 'human_queued') AS escalated,
        (SELECT count(*) FROM ai WHERE route = 'ai' AND status = 'human_queued' AND sent > 0) AS escalated_with_ai,
        (SELECT count(*) FROM t WHERE status = 'ai_queued') AS stuck`;
    const c = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)]));
    console.log(
      `[scale-out] injected: ${UNIQUE_TICKETS} tickets (${UNIQUE_TICKETS * HUMAN_SHARE} asking for a human), ${DUPLICATED} delivered to both APIs at once, 2 api + 2 worker processes; ` +
        `answers: ${created}×202 ${repeated}×200; counted: stored ${c.stored}, doubled ids ${c.doubled_ids}, tickets without exactly one intake decision ${c.bad_decisions}, ` +
        `ai_answered ${c.ai_answered} (not exactly one AI message: ${c.ai_not_once}), escalated by the AI ${c.escalated} (with a sent AI message: ${c.escalated_with_ai}), human-routed ${c.human_routed} (with an AI message: ${c.human_with_ai}), stuck ai_queued ${c.stuck}`,
    );
    expect(created).toBe(UNIQUE_TICKETS);
    expect(repeated).toBe(DUPLICATED);
    expect(c.stored).toBe(UNIQUE_TICKETS);
    expect(c.doubled_ids).toBe(0);
    expect(c.bad_decisions).toBe(0);
    expect(c.ai_answered).toBeGreaterThan(0);
    expect(c.ai_not_once).toBe(0);
    expect(c.human_routed).toBe(UNIQUE_TICKETS * HUMAN_SHARE);
    expect(c.human_with_ai).toBe(0);
    expect(c.escalated_with_ai).toBe(0);
    expect(c.stuck).toBe(0);
  });
});
