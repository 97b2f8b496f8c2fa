import type { Db } from '../../shared/db/prisma';

export interface SkillDemandRow {
  skill: string;
  tickets: number;
  human: number;
  aiRouted: number;
  previousTickets: number;
  previousAiRouted: number;
  /** Tickets by hour of creation (UTC), and human-routed ones by hour they joined the human queue. */
  byHour: number[];
  humanByHour: number[];
  claimed: number;
  waiting: number;
  waitP50: number | null;
  waitP90: number | null;
  excessWaitSeconds: number;
  responded: number;
  firstResponseP50: number | null;
  firstResponseP90: number | null;
  overflow: number;
}

const hours = (v: unknown): number[] => {
  const out = Array<number>(24).fill(0);
  for (const [h, n] of Object.entries((v ?? {}) as Record<string, number>)) out[Number(h)] = Number(n);
  return out;
};
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A report reads up to 92 days: the interactive-transaction default (5 s) is for short writes. */
const REPORT_TX = { maxWait: 15_000, timeout: 120_000 };

/**
 * Runs one report statement with JIT compilation off. The planner takes unnest() for ten rows per
 * ticket, so its cost estimate crosses the JIT thresholds, and compiling took seconds for a statement
 * that runs in a fraction of one (bench/skills.bench.ts).
 */
async function reportQuery(db: Db, sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL jit = off');
      return tx.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params);
    },
    REPORT_TX,
  );
}

/**
 * Per skill needed by a ticket created in [from, to), in one statement: the tickets needing it, their
 * waits and first responses (percentiles in Postgres), the claims that went to an agent lacking it, and how many were routed to the AI at intake, then and
 * in the period of equal length before `from`.
 *
 * - wait: queued_at (joining the human queue) to assigned_at (the latest claim or transfer); a ticket
 *   still in the queue counts in `waiting` and adds its wait up to `until` (the window's end, or now
 *   if earlier) to the excess, not to percentiles: a past window's figure does not grow with age.
 * - first response: queued_at to the first agent reply (human_responded_at).
 * - overflow: a `claimed` event recorded the skill among the agent's missing skills (the claim's
 *   overflow rule after CLAIM_OVERFLOW_AFTER_MINUTES).
 */
export async function skillDemand(db: Db, previousFrom: Date, from: Date, to: Date, until: Date, waitTargetSeconds: number): Promise<SkillDemandRow[]> {
  const rows = await reportQuery(
    db,
    `WITH needs AS MATERIALIZED (
       SELECT t.skill,
         COALESCE(t.initial_route, t.route) = 'ai' AS ai_routed,
         t.route = 'human' AS human,
         extract(hour FROM t.created_at AT TIME ZONE 'UTC')::int AS created_hour,
         extract(hour FROM t.queued_at AT TIME ZONE 'UTC')::int AS queued_hour,
         CASE WHEN t.route = 'human' AND t.assigned_at IS NOT NULL THEN extract(epoch FROM t.assigned_at - t.queued_at)::float8 END AS wait_s,
         CASE WHEN t.status = 'human_queued' THEN GREATEST(0, extract(epoch FROM $4::timestamptz - t.queued_at))::float8 END AS open_wait_s,
         CASE WHEN t.route = 'human' AND t.human_responded_at >= t.queued_at THEN extract(epoch FROM t.human_responded_at - t.queued_at)::float8 END AS fr_s,
         -- Only human tickets can have overflowed; the partial index holds only overflowing claims.
         CASE WHEN t.route = 'human' THEN EXISTS (
           SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'claimed' AND e.data ? 'overflow'
             AND e.data->'overflow'->'missingSkills' ? t.skill) END AS overflowed
       -- unnest in the select list: a lateral join here costs a nested loop per ticket.
       FROM (SELECT t.id, t.created_at, t.initial_route, t.route, t.status, t.queued_at, t.assigned_at, t.human_responded_at, unnest(t.skills) AS skill
             FROM tickets t WHERE t.created_at >= $2 AND t.created_at < $3) t
     ),
     counts AS (
       SELECT skill, count(*)::int AS tickets, count(*) FILTER (WHERE human)::int AS human, count(*) FILTER (WHERE ai_routed)::int AS ai_routed,
         count(wait_s)::int AS claimed, count(open_wait_s)::int AS waiting,
         COALESCE(sum(GREATEST(0, COALESCE(wait_s, open_wait_s) - $5)) FILTER (WHERE human), 0)::float8 AS excess_s,
         count(fr_s)::int AS responded, count(*) FILTER (WHERE overflowed)::int AS overflow
       FROM needs GROUP BY skill
     ),
     -- Percentiles sort their input: only the human tickets, which alone have waits.
     percentiles AS (
       SELECT skill,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_s) AS wait_p50, percentile_cont(0.9) WITHIN GROUP (ORDER BY wait_s) AS wait_p90,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY fr_s) AS fr_p50, percentile_cont(0.9) WITHIN GROUP (ORDER BY fr_s) AS fr_p90
       FROM needs WHERE human GROUP BY skill
     ),
     previous AS (
       SELECT skill, count(*)::int AS prev_tickets, count(*) FILTER (WHERE ai_routed)::int AS prev_ai_routed
       FROM (SELECT unnest(t.skills) AS skill, COALESCE(t.initial_route, t.route) = 'ai' AS ai_routed
             FROM tickets t WHERE t.created_at >= $1 AND t.created_at < $2) x
       GROUP BY skill
     ),
     created_hours AS (
       SELECT skill, jsonb_object_agg(h, n) AS by_hour
       FROM (SELECT skill, created_hour AS h, count(*) AS n FROM needs GROUP BY 1, 2) x GROUP BY skill
     ),
     queued_hours AS (
       SELECT skill, jsonb_object_agg(h, n) AS by_hour
       FROM (SELECT skill, queued_hour AS h, count(*) AS n FROM needs WHERE human GROUP BY 1, 2) x GROUP BY skill
     )
     SELECT c.*, p.wait_p50, p.wait_p90, p.fr_p50, p.fr_p90, COALESCE(v.prev_tickets, 0) AS prev_tickets,
       COALESCE(v.prev_ai_routed, 0) AS prev_ai_routed, ch.by_hour, qh.by_hour AS human_by_hour
     FROM counts c LEFT JOIN percentiles p USING (skill) LEFT JOIN previous v USING (skill)
       LEFT JOIN created_hours ch USING (skill) LEFT JOIN queued_hours qh USING (skill)
     ORDER BY c.skill`,
    previousFrom,
    from,
    to,
    until,
    waitTargetSeconds,
  );
  return rows.map((r) => ({
    skill: String(r.skill),
    tickets: Number(r.tickets),
    human: Number(r.human),
    aiRouted: Number(r.ai_routed),
    previousTickets: Number(r.prev_tickets),
    previousAiRouted: Number(r.prev_ai_routed),
    byHour: hours(r.by_hour),
    humanByHour: hours(r.human_by_hour),
    claimed: Number(r.claimed),
    waiting: Number(r.waiting),
    waitP50: num(r.wait_p50),
    waitP90: num(r.wait_p90),
    excessWaitSeconds: Number(r.excess_s),
    responded: Number(r.responded),
    firstResponseP50: num(r.fr_p50),
    firstResponseP90: num(r.fr_p90),
    overflow: Number(r.overflow),
  }));
}

export interface SkillSupplyRow {
  skill: string;
  agentHours: number;
  byHour: number[];
  agents: number;
}

/**
 * Available agent-hours per skill in [from, end), from the availability history: each row holds an
 * agent's status and skills until its next row. The state at `from` is the agent's latest row before
 * it; time before an agent's first row is unknown and counts as unavailable. The spans are cut at
 * hour boundaries (UTC) for the profile by hour of the day.
 */
export async function skillSupply(db: Db, from: Date, end: Date): Promise<SkillSupplyRow[]> {
  const rows = await reportQuery(
    db,
    `WITH relevant AS (
       SELECT c.id, c.agent_id, c.status, c.skills, c.changed_at FROM agent_status_changes c
       WHERE c.changed_at >= $1 AND c.changed_at < $2
       UNION ALL
       SELECT p.id, p.agent_id, p.status, p.skills, p.changed_at FROM agents a
       CROSS JOIN LATERAL (
         SELECT c.id, c.agent_id, c.status, c.skills, c.changed_at FROM agent_status_changes c
         WHERE c.agent_id = a.id AND c.changed_at < $1 ORDER BY c.changed_at DESC, c.id DESC LIMIT 1) p
     ),
     spans AS (
       SELECT agent_id, status, skills, GREATEST(changed_at, $1::timestamptz) AS s,
         COALESCE(lead(changed_at) OVER (PARTITION BY agent_id ORDER BY changed_at, id), $2::timestamptz) AS e
       FROM relevant
     ),
     pieces AS (
       SELECT sp.agent_id, sk.skill, extract(hour FROM h.h AT TIME ZONE 'UTC')::int AS hour,
         extract(epoch FROM LEAST(sp.e, h.h + interval '1 hour') - GREATEST(sp.s, h.h))::float8 / 3600 AS hours
       FROM spans sp
       CROSS JOIN LATERAL unnest(sp.skills) AS sk(skill)
       CROSS JOIN LATERAL generate_series(date_trunc('hour', sp.s, 'UTC'), sp.e - interval '1 millisecond', interval '1 hour') AS h(h)
       WHERE sp.status = 'available' AND sp.e > sp.s
     ),
     per_hour AS (SELECT skill, hour, sum(hours) AS hours FROM pieces GROUP BY 1, 2)
     SELECT p.skill, p.agents, t.total, t.by_hour
     FROM (SELECT skill, count(DISTINCT agent_id)::int AS agents FROM pieces GROUP BY skill) p
     JOIN (SELECT skill, sum(hours)::float8 AS total, jsonb_object_agg(hour, hours) AS by_hour FROM per_hour GROUP BY skill) t USING (skill)
     ORDER BY p.skill`,
    from,
    end,
  );
  return rows.map((r) => ({ skill: String(r.skill), agents: Number(r.agents), agentHours: Number(r.total), byHour: hours(r.by_hour) }));
}
