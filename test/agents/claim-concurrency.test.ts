import { apiClient, type ApiClient } from '../support/api-client';
import { buildAgent, insertQueuedTickets, privateLanguage, type TestAgent } from '../support/agents';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import pg from 'pg';
import { claimTicket } from '../../src/modules/agents';

const AGENTS = 50;
const TICKETS = 2_000;
const LOOPS_PER_AGENT = 2;

jest.setTimeout(240_000);

describe('concurrent claims never collide', () => {
  let app: TestApp;
  let admin: ApiClient;
  // Its own pool, wider than the app's, so that many claim transactions really run at the same time.
  let pool: pg.Pool;
  /**
   * Claims made through one deps object share batches (up to four out at once); several such objects
   * over the wide pool give both: claims in one transaction and many transactions at the same time.
   */
  let claimDeps: (typeof app.deps)[];
  const actor = { keyId: 'test:claim-concurrency', role: 'agent' as const };

  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
    // 100 claims in flight share 25 connections: on a loaded machine a claim may wait long for one.
    pool = new pg.Pool({ connectionString: app.config.databaseUrl, max: 25, connectionTimeoutMillis: 120_000 });
    claimDeps = Array.from({ length: 5 }, () => ({ ...app.deps, pool }));
  });
  afterAll(async () => {
    await pool.end();
    await app.close();
  });

  /**
   * Claims with several transactions in flight per agent until each is told nothing more fits. The
   * claim transaction is called directly: HTTP adds nothing to what can collide, only time (the
   * HTTP claim is covered in agent-workflow.test.ts).
   */
  async function claimUntilEmpty(agents: TestAgent[], taken: Map<string, string[]>) {
    await Promise.all(
      agents.flatMap((agent, i) =>
        Array.from({ length: LOOPS_PER_AGENT }, async (_, loop) => {
          for (;;) {
            const outcome = await claimTicket(claimDeps[(i + loop) % claimDeps.length], agent.id, actor);
            if (!outcome.claimed) return;
            const { id } = outcome.ticket;
            taken.set(id, [...(taken.get(id) ?? []), agent.id]);
          }
        }),
      ),
    );
  }

  async function heldBy(agentIds: string[]) {
    const rows = await app.deps.db.ticket.groupBy({ by: ['assignedAgentId'], where: { assignedAgentId: { in: agentIds }, status: 'assigned' }, _count: true });
    return new Map(rows.map((r) => [r.assignedAgentId!, r._count]));
  }

  test('when 50 agents claim 2,000 tickets concurrently, then every ticket is claimed exactly once and no capacity is exceeded', async () => {
    const language = privateLanguage();
    const ticketIds = [
      ...(await insertQueuedTickets(app, { language, count: TICKETS / 2, priority: 'normal', skills: [] })),
      ...(await insertQueuedTickets(app, { language, count: TICKETS / 4, priority: 'high', skills: ['billing'] })),
      ...(await insertQueuedTickets(app, { language, count: TICKETS / 4, priority: 'urgent', skills: ['technical'], dueInMinutes: 15 })),
    ];
    const agents: TestAgent[] = [];
    for (let i = 0; i < AGENTS; i += 10) {
      agents.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, () => buildAgent(app, admin, { languages: [language], skills: ['billing', 'technical'], capacity: 30 }, { available: true })),
        )),
      );
    }
    const agentIds = agents.map((a) => a.id);
    const taken = new Map<string, string[]>();

    // Phase 1: capacity binds (50 × 30 < 2,000), with two claims in flight per agent racing for the last slot.
    await claimUntilEmpty(agents, taken);
    const afterFirst = await heldBy(agentIds);
    for (const id of agentIds) expect(afterFirst.get(id)).toBe(30);

    // Phase 2: room for everything; the queue must drain completely.
    await Promise.all(agents.map((a) => admin.patch(`/v1/agents/${a.id}`, { capacity: 45 })));
    await claimUntilEmpty(agents, taken);

    const doubles = [...taken.entries()].filter(([, by]) => by.length > 1);
    expect(doubles).toEqual([]);
    const mine = new Set(ticketIds);
    expect([...taken.keys()].filter((id) => mine.has(id))).toHaveLength(TICKETS);

    const claimedEvents = await app.deps.db.ticketEvent.groupBy({ by: ['ticketId'], where: { ticketId: { in: ticketIds }, type: 'claimed' }, _count: true });
    expect(claimedEvents).toHaveLength(TICKETS);
    expect(claimedEvents.filter((g) => g._count !== 1)).toEqual([]);
    const stillWaiting = await app.deps.db.ticket.count({ where: { id: { in: ticketIds }, status: { not: 'assigned' } } });
    expect(stillWaiting).toBe(0);

    const held = await heldBy(agentIds);
    for (const id of agentIds) expect(held.get(id) ?? 0).toBeLessThanOrEqual(45);
    expect([...held.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(TICKETS);
  });

  test('when agents with capacity 1 each send two claims at once, then each gets one ticket and one 204 at_capacity', async () => {
    const language = privateLanguage();
    await insertQueuedTickets(app, { language, count: 40 });
    const agents = await Promise.all(Array.from({ length: 10 }, () => buildAgent(app, admin, { languages: [language], capacity: 1 }, { available: true })));
    const answers = await Promise.all(
      agents.map(async (agent) => {
        const both = await Promise.all([0, 1].map(() => agent.client.post(`/v1/agents/${agent.id}/claim`)));
        return both.map((r) => (r.status === 204 ? `204 ${r.headers.get('x-handoff-claim')}` : String(r.status))).sort();
      }),
    );
    expect(answers).toEqual(agents.map(() => ['200', '204 at_capacity']));
    const held = await heldBy(agents.map((a) => a.id));
    for (const agent of agents) expect(held.get(agent.id)).toBe(1);
  });
});
