import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { decideRoute, type RoutingPolicy, type Tier } from '../../src/modules/routing';
import type { Flag, TicketScore } from '../../src/modules/scoring/types';

/** One past ticket: what intake stored about it, before any decision. */
export interface PastTicket {
  sentiment: number;
  complexity: number;
  flags: Flag[];
  language: string;
  aiOptOut: boolean;
  recentTicketCount: number;
  tier: Tier;
  locale: string | null;
  channel: 'email' | 'chat' | 'web' | 'phone' | 'social';
  createdAt: Date;
}

export const score = (t: PastTicket): TicketScore => ({
  sentiment: t.sentiment,
  complexity: t.complexity,
  flags: t.flags,
  language: t.language,
  topics: [],
  dissatisfied: false,
  evidence: [],
});

/** The decision intake would have made for `t` under `policy`: the oracle the SQL replay is held to. */
export const decide = (t: PastTicket, policy: RoutingPolicy) =>
  decideRoute(score(t), { aiOptOut: t.aiOptOut, tier: t.tier, recentTicketCount: t.recentTicketCount }, policy);

/**
 * Writes tickets and their intake decisions as intake would have under `policy`, straight into the
 * tables (a history of weeks cannot be posted through the API). No personal data is written.
 */
export async function seedHistory(pool: Pool, tickets: PastTicket[], policy: RoutingPolicy): Promise<string[]> {
  const customerId = randomUUID();
  await pool.query(`INSERT INTO customers (id, source, external_id) VALUES ($1, 'policy-test', $2)`, [customerId, `c-${customerId}`]);
  const rows = tickets.map((t) => {
    const d = decide(t, policy);
    return {
      id: randomUUID(), external_id: randomUUID(), channel: t.channel, route: d.route, priority: d.priority, sentiment: t.sentiment,
      complexity: t.complexity, flags: t.flags, reasons: d.reasons, language: t.language, locale: t.locale, tier: t.tier,
      ai_opt_out: t.aiOptOut, recent: t.recentTicketCount, created_at: t.createdAt.toISOString(), policy_version: d.policyVersion,
    };
  });
  await pool.query(
    `WITH r AS (SELECT * FROM json_to_recordset($2::json) AS r(id uuid, external_id text, channel text, route text, priority text,
       sentiment float8, complexity float8, flags text[], reasons jsonb, language text, locale text, tier text, ai_opt_out boolean,
       recent int, created_at timestamptz, policy_version text)),
     t AS (INSERT INTO tickets (id, source, external_id, customer_id, channel, status, route, initial_route, priority, sentiment, complexity,
       flags, reasons, language, skills, customer_locale, customer_tier, queued_at, created_at, updated_at)
       SELECT id, 'policy-test', external_id, $1, channel::"Channel", 'resolved', route::"Route", route::"Route", priority::"Priority",
         sentiment, complexity, flags, reasons, language, '{}', locale, tier::"Tier", created_at, created_at, created_at FROM r)
     INSERT INTO decisions (id, ticket_id, trigger, route, priority, sentiment, complexity, flags, reasons, language, scorer_version,
       policy_version, ai_opt_out, recent_ticket_count, customer_tier, customer_locale, channel, created_at)
     SELECT gen_random_uuid(), id, 'intake', route::"Route", priority::"Priority", sentiment, complexity, flags, reasons, language,
       'test', policy_version, ai_opt_out, recent, tier::"Tier", locale, channel::"Channel", created_at FROM r`,
    [customerId, JSON.stringify(rows)],
  );
  return rows.map((r) => r.id);
}
