import type { Db } from '../../shared/db/prisma';
import { bucketSql } from './histogram';
import type { FairnessAttribute, GroupBy } from './stats.schema';

/** Statuses in which a ticket still owes the customer something. */
export const OPEN_STATUSES_SQL = `('ai_queued','human_queued','assigned')`;

// Whitelisted SQL expressions: the only text that is ever spliced into a statement.
const GROUP_KEY: Record<GroupBy, string> = {
  priority: `t.priority::text`,
  route: `t.route::text`,
  channel: `t.channel::text`,
  source: `t.source`,
  agent: `COALESCE(t.assigned_agent_id::text, 'unassigned')`,
};
const FAIRNESS_KEY: Record<FairnessAttribute, string> = {
  locale: `COALESCE(t.customer_locale, 'unknown')`,
  tier: `t.customer_tier::text`,
  channel: `t.channel::text`,
};

/*
 * One clock per column triple (started, done, due, breached mark). The rule, from the contract:
 * achieved = done by the due time; breached = marked by the watcher, done late, or not done and
 * overdue; a clock that is neither done nor due yet counts as neither. The first response is the
 * AI's answer for AI-routed tickets, so an AI answer stops that clock too.
 */
const CLOCKS = {
  fr: { start: 't.created_at', done: 'COALESCE(t.first_responded_at, t.ai_answered_at)', due: 't.first_response_due_at', mark: 't.first_response_breached_at' },
  // An AI answer the customer did not reply to ends the ticket's need (it is contained) until a follow-up reopens it.
  res: { start: 't.created_at', done: `COALESCE(t.resolved_at, CASE WHEN t.status = 'ai_answered' THEN t.ai_answered_at END)`, due: 't.resolution_due_at', mark: 't.resolution_breached_at' },
  hr: { start: 't.human_requested_at', done: 't.human_responded_at', due: 't.human_request_due_at', mark: 't.human_request_breached_at' },
} as const;
export type ClockName = keyof typeof CLOCKS;

export const CLOCK_NAMES = Object.keys(CLOCKS) as ClockName[];

/** `now` is the placeholder of the instant the clocks are judged at. */
function outcome(c: (typeof CLOCKS)[ClockName], now = '$3'): string {
  return `CASE WHEN ${c.due} IS NULL THEN NULL
    WHEN ${c.mark} IS NOT NULL OR ${c.done} > ${c.due} OR (${c.done} IS NULL AND ${c.due} < ${now}) THEN 'b'
    WHEN ${c.done} IS NOT NULL THEN 'a' END`;
}

// date_part is float8 where EXTRACT is numeric, several times slower per ticket.
const seconds = (c: (typeof CLOCKS)[ClockName]) => `date_part('epoch', ${c.done} - ${c.start})`;

/**
 * Per ticket (alias t), judged at the instant in placeholder `now`: the flags the counts need, each
 * clock's outcome (`fr_o`...) and its histogram bucket (`fr_b`...). The rollup job and the live part
 * of a window both read tickets through this, so a rolled-up day and a live one count alike.
 */
export function judgedColumns(now: string): string {
  return [
    `COALESCE(t.initial_route, t.route) = 'ai' AS ai_routed`,
    `t.ai_answered_at IS NOT NULL AS answered`,
    `t.escalated_after_ai AS escalated`,
    ...CLOCK_NAMES.map((n) => `${outcome(CLOCKS[n], now)} AS ${n}_o, ${bucketSql(seconds(CLOCKS[n]))} AS ${n}_b`),
  ].join(',\n      ');
}

/** The earliest due time, at or after `now`, of a clock not yet done nor marked: until then a judgement made at `now` stands. */
export function pendingDueSql(now: string): string {
  return `LEAST(${CLOCK_NAMES.map((n) => `CASE WHEN ${CLOCKS[n].done} IS NULL AND ${CLOCKS[n].mark} IS NULL AND ${CLOCKS[n].due} >= ${now} THEN ${CLOCKS[n].due} END`).join(', ')})`;
}

/** The counts kept per rollup row, as aggregates over judged rows (see judgedColumns). */
export const COUNT_AGGREGATES: Record<string, string> = {
  tickets: `count(*)`,
  ai_routed: `count(*) FILTER (WHERE ai_routed)`,
  ai_answered: `count(*) FILTER (WHERE ai_routed AND answered)`,
  ai_escalated: `count(*) FILTER (WHERE ai_routed AND escalated)`,
  answered_any: `count(*) FILTER (WHERE answered)`,
  escalated_answered: `count(*) FILTER (WHERE answered AND escalated)`,
  ...Object.fromEntries(
    CLOCK_NAMES.flatMap((n) => [
      [`${n}_achieved`, `count(*) FILTER (WHERE ${n}_o = 'a')`],
      [`${n}_breached`, `count(*) FILTER (WHERE ${n}_o = 'b')`],
    ]),
  ),
};
export const COUNT_COLUMNS = Object.keys(COUNT_AGGREGATES);

/** The rollup's dimensions: every grouping the endpoints offer. */
export const ROLLUP_DIMS: Record<string, string> = {
  priority: GROUP_KEY.priority,
  route: GROUP_KEY.route,
  channel: GROUP_KEY.channel,
  source: GROUP_KEY.source,
  agent: GROUP_KEY.agent,
  locale: FAIRNESS_KEY.locale,
  tier: FAIRNESS_KEY.tier,
};
/** The dimension name of a dimension's hourly rows. */
export const hourly = (dim: string) => `h.${dim}`;

function clockAggregates(name: ClockName): string {
  return `count(*) FILTER (WHERE ${name}_o = 'a')::int AS ${name}_achieved,
    count(*) FILTER (WHERE ${name}_o = 'b')::int AS ${name}_breached,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY ${name}_s) AS ${name}_p50,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY ${name}_s) AS ${name}_p90`;
}

function clockColumns(): string {
  return (Object.keys(CLOCKS) as ClockName[])
    .map((n) => `${outcome(CLOCKS[n])} AS ${n}_o, EXTRACT(EPOCH FROM ${CLOCKS[n].done} - ${CLOCKS[n].start})::float8 AS ${n}_s`)
    .join(',\n      ');
}

export interface ClockRow {
  achieved: number;
  breached: number;
  p50: number | null;
  p90: number | null;
}
export interface SlaGroupRow {
  key: string | null;
  tickets: number;
  clocks: Record<ClockName, ClockRow>;
  aiRouted: number;
  aiAnswered: number;
  aiEscalated: number;
}

/**
 * Per-group clock figures plus the window's totals (the row with a null key) in one pass over the
 * window, so the cost is one index range scan whatever the grouping.
 */
export async function slaGroups(db: Db, groupBy: GroupBy, from: Date, to: Date, now: Date): Promise<{ groups: SlaGroupRow[]; total: SlaGroupRow }> {
  const sql = `
    WITH judged AS (
      SELECT ${GROUP_KEY[groupBy]} AS key,
        COALESCE(t.initial_route, t.route) = 'ai' AS ai_routed,
        t.ai_answered_at IS NOT NULL AS ai_answered,
        t.escalated_after_ai,
        ${clockColumns()}
      FROM tickets t
      WHERE t.created_at >= $1 AND t.created_at < $2
    )
    SELECT key, GROUPING(key) AS is_total, count(*)::int AS tickets,
      ${(Object.keys(CLOCKS) as ClockName[]).map(clockAggregates).join(',\n      ')},
      count(*) FILTER (WHERE ai_routed)::int AS ai_routed,
      count(*) FILTER (WHERE ai_routed AND ai_answered)::int AS ai_answered,
      count(*) FILTER (WHERE ai_routed AND escalated_after_ai)::int AS ai_escalated
    FROM judged
    GROUP BY GROUPING SETS ((key), ())
    ORDER BY is_total, key`;
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(sql, from, to, now);
  const parsed = rows.map((r) => ({
    isTotal: Number(r.is_total) === 1,
    row: {
      key: r.key as string | null,
      tickets: Number(r.tickets),
      clocks: Object.fromEntries(
        (Object.keys(CLOCKS) as ClockName[]).map((n) => [
          n,
          { achieved: Number(r[`${n}_achieved`]), breached: Number(r[`${n}_breached`]), p50: num(r[`${n}_p50`]), p90: num(r[`${n}_p90`]) },
        ]),
      ) as Record<ClockName, ClockRow>,
      aiRouted: Number(r.ai_routed),
      aiAnswered: Number(r.ai_answered),
      aiEscalated: Number(r.ai_escalated),
    },
  }));
  const empty: SlaGroupRow = {
    key: null,
    tickets: 0,
    clocks: { fr: emptyClock(), res: emptyClock(), hr: emptyClock() },
    aiRouted: 0,
    aiAnswered: 0,
    aiEscalated: 0,
  };
  return { groups: parsed.filter((p) => !p.isTotal).map((p) => p.row), total: parsed.find((p) => p.isTotal)?.row ?? empty };
}

const emptyClock = (): ClockRow => ({ achieved: 0, breached: 0, p50: null, p90: null });
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The human queue right now, from the partial index on waiting tickets. */
export async function humanQueue(db: Db): Promise<{ priority: string; waiting: number; oldestQueuedAt: Date }[]> {
  const rows = await db.$queryRawUnsafe<{ priority: string; waiting: number; oldest: Date }[]>(
    `SELECT priority::text AS priority, count(*)::int AS waiting, min(queued_at) AS oldest
     FROM tickets WHERE status = 'human_queued' GROUP BY priority`,
  );
  return rows.map((r) => ({ priority: r.priority, waiting: Number(r.waiting), oldestQueuedAt: r.oldest }));
}

export interface AgentLoadRow {
  id: string;
  name: string;
  status: string;
  capacity: number;
  load: number;
}

/** Every agent with the tickets it holds now (status assigned). */
export async function agentLoads(db: Db): Promise<AgentLoadRow[]> {
  const rows = await db.$queryRawUnsafe<AgentLoadRow[]>(
    `SELECT a.id::text AS id, a.name, a.status::text AS status, a.capacity,
       (SELECT count(*) FROM tickets t WHERE t.assigned_agent_id = a.id AND t.status = 'assigned')::int AS load
     FROM agents a ORDER BY a.name, a.id`,
  );
  return rows.map((r) => ({ ...r, capacity: Number(r.capacity), load: Number(r.load) }));
}

export interface FairnessRow {
  key: string;
  tickets: number;
  aiRouted: number;
  aiAnswered: number;
  escalated: number;
  firstResponseP50: number | null;
}

/** Raw counts per group of one customer attribute (snapshotted at intake). */
export async function fairnessGroups(db: Db, attribute: FairnessAttribute, from: Date, to: Date): Promise<FairnessRow[]> {
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT ${FAIRNESS_KEY[attribute]} AS key, count(*)::int AS tickets,
       count(*) FILTER (WHERE COALESCE(t.initial_route, t.route) = 'ai')::int AS ai_routed,
       count(*) FILTER (WHERE t.ai_answered_at IS NOT NULL)::int AS ai_answered,
       count(*) FILTER (WHERE t.ai_answered_at IS NOT NULL AND t.escalated_after_ai)::int AS escalated,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ${CLOCKS.fr.done} - t.created_at)::float8) AS fr_p50
     FROM tickets t WHERE t.created_at >= $1 AND t.created_at < $2
     GROUP BY 1 ORDER BY 1`,
    from,
    to,
  );
  return rows.map((r) => ({
    key: String(r.key),
    tickets: Number(r.tickets),
    aiRouted: Number(r.ai_routed),
    aiAnswered: Number(r.ai_answered),
    escalated: Number(r.escalated),
    firstResponseP50: num(r.fr_p50),
  }));
}

export interface BreachRow {
  id: string;
  status: string;
  priority: string;
  route: string;
  channel: string;
  source: string;
  assignedAgentId: string | null;
  createdAt: Date;
  frDue: Date | null;
  resDue: Date | null;
  hrDue: Date | null;
  nextDue: Date;
}

/**
 * The earliest due time of a clock an open ticket still owes; tickets_open_next_due_idx indexes
 * exactly this expression (with id), so the page is one index range scan in (next_due, id) order.
 */
const NEXT_DUE = `LEAST(
    CASE WHEN t.first_responded_at IS NULL AND t.ai_answered_at IS NULL THEN t.first_response_due_at END,
    t.resolution_due_at,
    CASE WHEN t.human_requested_at IS NOT NULL AND t.human_responded_at IS NULL THEN t.human_request_due_at END)`;

/** Open tickets with a pending clock due before `horizon`, earliest first (keyset pagination after `after`). */
export async function breachingTickets(db: Db, horizon: Date, limit: number, after?: { dueAt: Date; id: string }): Promise<BreachRow[]> {
  const fr = `CASE WHEN t.first_responded_at IS NULL AND t.ai_answered_at IS NULL AND t.first_response_due_at <= $1 THEN t.first_response_due_at END`;
  const res = `CASE WHEN t.resolution_due_at <= $1 THEN t.resolution_due_at END`;
  const hr = `CASE WHEN t.human_requested_at IS NOT NULL AND t.human_responded_at IS NULL AND t.human_request_due_at <= $1 THEN t.human_request_due_at END`;
  const params: unknown[] = [horizon, limit];
  if (after) params.push(after.dueAt, after.id);
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT t.id::text AS id, t.status::text AS status, t.priority::text AS priority, t.route::text AS route, t.channel::text AS channel,
       t.source, t.assigned_agent_id::text AS assigned_agent_id, t.created_at, ${fr} AS fr_due, ${res} AS res_due, ${hr} AS hr_due,
       ${NEXT_DUE} AS next_due
     FROM tickets t
     WHERE t.status IN ${OPEN_STATUSES_SQL} AND ${NEXT_DUE} <= $1 ${after ? `AND (${NEXT_DUE}, t.id) > ($3::timestamptz, $4::uuid)` : ''}
     ORDER BY ${NEXT_DUE}, t.id
     LIMIT $2`,
    ...params,
  );
  return rows.map((r) => ({
    id: String(r.id),
    status: String(r.status),
    priority: String(r.priority),
    route: String(r.route),
    channel: String(r.channel),
    source: String(r.source),
    assignedAgentId: (r.assigned_agent_id as string | null) ?? null,
    createdAt: r.created_at as Date,
    frDue: (r.fr_due as Date | null) ?? null,
    resDue: (r.res_due as Date | null) ?? null,
    hrDue: (r.hr_due as Date | null) ?? null,
    nextDue: r.next_due as Date,
  }));
}
