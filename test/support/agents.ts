import { randomUUID } from 'node:crypto';
import { apiClient, type ApiClient, type ApiResponse } from './api-client';
import { createKey } from './factories';
import type { TestApp } from './start-app';

/**
 * A three-letter language code of the test's own, so that its agents and tickets match each other and nothing
 * another test file created: any of 26³ but 'und', since the scorer only ever answers two-letter ISO 639-1 codes
 * or 'und'. ISO 639's private-use range (qaa–qtz) held only 520: with a few dozen codes in use at once, tests
 * drew the same one, and another file's agent, still available, took part in this test's claims (a wellbeing
 * rotation found it eligible and passed the ticket over).
 */
export function privateLanguage(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (;;) {
    const code = Array.from({ length: 3 }, () => letters[Math.floor(Math.random() * letters.length)]).join('');
    if (code !== 'und') return code;
  }
}

export interface TestAgent {
  id: string;
  client: ApiClient;
  body: any;
}

/** Creates an agent through the admin API, with its own key, optionally already available. */
export async function buildAgent(app: TestApp, admin: ApiClient, overrides: Record<string, unknown> = {}, opts: { available?: boolean } = {}): Promise<TestAgent> {
  const res = await admin.post('/v1/agents', { name: `Agent ${randomUUID().slice(0, 8)}`, email: 'agent@example.com', skills: [], languages: ['en'], capacity: 3, ...overrides });
  if (res.status !== 201) throw new Error(`agent creation failed: ${res.status} ${res.text}`);
  const client = apiClient(app.url, await createKey(admin, { role: 'agent', agentId: res.body.id }));
  if (opts.available) {
    const patched = await client.patch(`/v1/agents/${res.body.id}`, { status: 'available' });
    if (patched.status !== 200) throw new Error(`status change failed: ${patched.status} ${patched.text}`);
  }
  return { id: res.body.id, client, body: res.body };
}

export interface QueuedTicketSpec {
  language: string;
  count?: number;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  skills?: string[];
  flags?: string[];
  sentiment?: number;
  /** Minutes from now; negative = already overdue. */
  dueInMinutes?: number;
  /** Minutes ago the ticket entered the queue. */
  queuedMinutesAgo?: number;
  /**
   * Handed back once (requeued_at set), which ranks the ticket ahead of its never-claimed peers: for tests
   * whose order must not be broken by another file's requeued tickets of unknown language, which fit every agent.
   */
  requeued?: boolean;
  /**
   * Already aged as the queue's aging sweep would age it. Other test files run that sweep on the shared
   * database. It locks the overdue tickets it ages, and a claim skips locked tickets. So a test that
   * expects its overdue tickets in a set order, with nothing else claimed between them, stores them aged.
   */
  aged?: boolean;
  body?: string;
}

/**
 * Inserts human_queued tickets the way intake stores them (customer, ticket, first message, event),
 * in a few set-based statements, for tests and benchmarks that need thousands of them.
 */
export async function insertQueuedTickets(app: Pick<TestApp, 'deps'>, spec: QueuedTicketSpec): Promise<string[]> {
  const { db, cipher } = app.deps;
  const count = spec.count ?? 1;
  const batch = randomUUID();
  const customerId = randomUUID();
  await db.$executeRaw`INSERT INTO customers (id, source, external_id) VALUES (${customerId}::uuid, 'agents-test', ${`cust-${batch}`})`;
  const dueInMinutes = spec.dueInMinutes ?? 240;
  const agingLevels = spec.aged ? Math.min(3, Math.max(0, Math.floor(-dueInMinutes / app.deps.config.agents.agingStepMinutes))) : 0;
  // An overdue ticket is stored with its first-response breach already recorded, as the breach watcher
  // leaves it. Other test files run that watcher on the shared database: it would lock the ticket for
  // its transaction, so a claim meanwhile skips it, and it would add an SLA event to the ticket.
  const rows = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO tickets (id, source, external_id, customer_id, channel, status, route, priority, sentiment, complexity,
      flags, reasons, language, skills, queued_at, first_response_due_at, first_response_breached_at, resolution_due_at,
      created_at, updated_at, requeued_at, aging_levels)
    SELECT gen_random_uuid(), 'agents-test', ${batch} || '-' || i, ${customerId}::uuid, 'web', 'human_queued', 'human',
      ${spec.priority ?? 'normal'}::"Priority", ${spec.sentiment ?? -0.2}, 0.3, ${spec.flags ?? []}::text[],
      '[{"code":"HUMAN_REQUESTED","detail":"test"}]'::jsonb, ${spec.language}, ${spec.skills ?? []}::text[],
      now() - make_interval(mins => ${spec.queuedMinutesAgo ?? 0}) + make_interval(secs => i / 1000.0),
      due.at, CASE WHEN due.at < now() THEN due.at END,
      now() + interval '1 day', now() - make_interval(mins => ${spec.queuedMinutesAgo ?? 0}), now(),
      CASE WHEN ${spec.requeued ?? false} THEN now() END, ${agingLevels}::smallint
    FROM generate_series(1, ${count}) AS i
    CROSS JOIN LATERAL (SELECT now() + make_interval(mins => ${dueInMinutes}) + make_interval(secs => i / 1000.0) AS at) due
    ORDER BY i
    RETURNING id`;
  const bodyEnc = cipher.encrypt(spec.body ?? 'I need a person to look at my account, please.');
  await db.$executeRaw`
    INSERT INTO messages (id, ticket_id, author, body_enc, created_at)
    SELECT gen_random_uuid(), t.id, 'customer', ${bodyEnc}, t.created_at FROM tickets t WHERE t.external_id LIKE ${`${batch}-%`} AND t.source = 'agents-test'`;
  await db.$executeRaw`
    INSERT INTO ticket_events (id, ticket_id, type, data, created_at)
    SELECT gen_random_uuid(), t.id, 'human_queued', '{"trigger":"intake"}'::jsonb, t.created_at FROM tickets t WHERE t.external_id LIKE ${`${batch}-%`} AND t.source = 'agents-test'`;
  return rows.map((r) => r.id);
}

/**
 * Claims until one of `mine` comes back, and returns that claim's response. Tickets of unknown
 * language ('und') that other test files queue fit every agent; those stay with this test's agent,
 * which holds nothing else of theirs (give it the capacity for a few).
 */
export async function claimUntilMine(agent: TestAgent, mine: Iterable<string>, attempts = 20): Promise<ApiResponse> {
  const wanted = new Set(mine);
  for (let i = 0; i < attempts; i++) {
    const res = await agent.client.post(`/v1/agents/${agent.id}/claim`);
    if (res.status !== 200) throw new Error(`claim answered ${res.status} ${res.text}`);
    if (wanted.has(res.body.ticket.id)) return res;
  }
  throw new Error('none of the expected tickets was claimed');
}

export async function claimMine(agent: TestAgent, mine: Iterable<string>, attempts = 20): Promise<string> {
  return (await claimUntilMine(agent, mine, attempts)).body.ticket.id;
}

/** Claims until the queue has nothing for this agent (another file's 'und' tickets fit anyone) and returns that answer. */
export async function claimUntilNothingFits(agent: TestAgent, attempts = 50): Promise<ApiResponse> {
  for (let i = 0; i < attempts; i++) {
    const res = await agent.client.post(`/v1/agents/${agent.id}/claim`);
    if (res.status !== 200) return res;
  }
  throw new Error(`still claiming after ${attempts} claims`);
}
