import type { Pool } from 'pg';
import { inPgTransaction } from '../../shared/db/pg-transaction';
import { decideRoute, PRIORITIES, type Priority, type Reason, type ReasonCode, type Route, type RoutingPolicy, type Tier } from '../routing';
import type { Flag } from '../scoring/types';
import { computeFairness, FAIRNESS_ATTRIBUTES, FOUR_FIFTHS, type FairnessAttribute } from '../stats';

/**
 * The reasons an intake decision can give, in the bit order of the SQL replay's mask. decideRoute
 * gives ROUTINE exactly when none of these applies.
 */
const MASK_CODES = [
  'HUMAN_REQUESTED',
  'SENSITIVE_TOPIC',
  'AI_OPT_OUT',
  'NEGATIVE_SENTIMENT',
  'HIGH_COMPLEXITY',
  'LANGUAGE_UNSUPPORTED',
  'REPEAT_CONTACT',
] as const satisfies readonly ReasonCode[];

// decideRoute, written once in SQL over an intake decision `d`. Parameters:
// $3 humanFlags, $4 negativeSentimentThreshold, $5 highComplexityThreshold, $6 aiLanguages,
// $7 repeatContactThreshold (null: off), $8 urgentFlags, $9 highFlags. test/policies/simulate.test.ts holds it to
// the TypeScript function on a varied set.
const REASON_CONDITIONS: Record<(typeof MASK_CODES)[number], string> = {
  HUMAN_REQUESTED: `('human_requested' = ANY(d.flags) AND 'human_requested' = ANY($3::text[]))`,
  SENSITIVE_TOPIC: `(d.flags && array_remove($3::text[], 'human_requested'))`,
  AI_OPT_OUT: `COALESCE(d.ai_opt_out, false)`,
  NEGATIVE_SENTIMENT: `(d.sentiment <= $4::float8)`,
  HIGH_COMPLEXITY: `(d.complexity >= $5::float8)`,
  LANGUAGE_UNSUPPORTED: `(d.language <> 'und' AND NOT d.language = ANY($6::text[]))`,
  REPEAT_CONTACT: `($7::int IS NOT NULL AND COALESCE(d.recent_ticket_count, 0) >= $7::int)`,
};
const NEW_MASK = MASK_CODES.map((code, bit) => `(CASE WHEN ${REASON_CONDITIONS[code]} THEN ${1 << bit} ELSE 0 END)`).join(' + ');
/** The index into PRIORITIES: decidePriority's levels, with the VIP step and the cap. */
const NEW_PRIORITY_LEVEL = `LEAST(3,
  CASE WHEN d.flags && $8::text[] THEN 2 WHEN d.flags && $9::text[] OR d.sentiment <= $4::float8 THEN 1 ELSE 0 END
  + 1 + CASE WHEN d.customer_tier = 'vip' THEN 1 ELSE 0 END)`;
// Intake decisions carry everything the replay needs, so it reads one table and joins none.
const WINDOW = `FROM decisions d WHERE d.trigger = 'intake' AND d.created_at >= $1 AND d.created_at < $2`;

/**
 * One pass over the window: every intake decision is replayed once per row (OFFSET 0 keeps the
 * subquery from being inlined, which would evaluate the replay again in every grouping key), then
 * counted in two grouping sets small enough to sum up in Node: per (hour, locale, tier, channel) for
 * workload and fairness, and per (old, new) outcome for routes, priorities and reasons. The keys stay
 * enums and integers, which hash several times faster than text; the driver reads enums as text.
 */
const AGGREGATE_SQL = `
  SELECT GROUPING(hour) = 0 AS by_group,
    hour, locale, tier, channel, old_route, old_priority, old_codes::text AS old_codes, new_mask, new_level,
    count(*)::int AS n,
    count(*) FILTER (WHERE old_route = 'ai')::int AS old_ai_count,
    count(*) FILTER (WHERE new_mask = 0)::int AS new_ai_count
  FROM (
    SELECT date_part('hour', d.created_at AT TIME ZONE 'UTC')::int AS hour,
      d.customer_locale AS locale, d.customer_tier AS tier, d.channel,
      d.route AS old_route, d.priority AS old_priority,
      jsonb_path_query_array(d.reasons, '$[*].code') AS old_codes,
      ${NEW_MASK} AS new_mask,
      ${NEW_PRIORITY_LEVEL} AS new_level
    ${WINDOW}
    OFFSET 0) s
  GROUP BY GROUPING SETS ((hour, locale, tier, channel), (old_route, old_priority, old_codes, new_mask, new_level))`;

/** Recent tickets whose route would change, newest first: examples a supervisor can open and read. */
const SAMPLE_SQL = `
  SELECT d.ticket_id::text AS ticket_id, d.created_at, d.route, d.priority, d.reasons,
    d.sentiment, d.complexity, d.flags, d.language, COALESCE(d.ai_opt_out, false) AS ai_opt_out,
    COALESCE(d.recent_ticket_count, 0) AS recent_ticket_count, d.customer_tier AS tier
  ${WINDOW} AND (d.route = 'human') <> ((${NEW_MASK}) > 0)
  ORDER BY d.created_at DESC
  LIMIT $8`;

export const SAMPLE_SIZE = 20;
/**
 * Planner settings for the aggregate's transaction only. Without more than the default 4 MB of work
 * memory one grouping set is sorted on disk instead of hashed. And the planner does not count the cost
 * of the per-row replay, so it sees no gain in parallel workers and runs it on one core; cheaper
 * tuple transfer makes it hand the scan and the replay to workers (see docs/benchmarks.md, "Policy simulation").
 */
const AGGREGATE_SETTINGS = [`SET LOCAL work_mem = '256MB'`, 'SET LOCAL parallel_tuple_cost = 0.001'];

/** The statements as they run, for bench/policies.bench.ts to print their plans. */
export const SIMULATION_SQL = { aggregate: AGGREGATE_SQL, sample: SAMPLE_SQL, settings: AGGREGATE_SETTINGS } as const;

/** A row of the (hour, locale, tier, channel) set when by_group, else of the outcome set. */
interface AggregateRow {
  by_group: boolean;
  hour: number;
  /** Null when the customer gave none: the fairness report's 'unknown' group. */
  locale: string | null;
  tier: string;
  channel: string;
  old_route: Route;
  old_priority: Priority;
  old_codes: string;
  new_mask: number;
  new_level: number;
  n: number;
  old_ai_count: number;
  new_ai_count: number;
}

/** Sums `rows` per key: the finer groups of the SQL added up to one dimension. */
function sumBy(rows: AggregateRow[], key: (r: AggregateRow) => string | number): Map<string | number, AggregateRow> {
  const out = new Map<string | number, AggregateRow>();
  for (const r of rows) {
    const k = key(r);
    const sum = out.get(k);
    if (!sum) out.set(k, { ...r });
    else {
      sum.n += r.n;
      sum.old_ai_count += r.old_ai_count;
      sum.new_ai_count += r.new_ai_count;
    }
  }
  return out;
}

interface SampleRow {
  ticket_id: string;
  created_at: Date;
  route: Route;
  priority: Priority;
  reasons: Reason[];
  sentiment: number;
  complexity: number;
  flags: Flag[];
  language: string;
  ai_opt_out: boolean;
  recent_ticket_count: number;
  tier: Tier;
}

export interface FairnessComparison {
  key: string;
  tickets: number;
  smallSample: boolean;
  actual: { aiShare: number; ratio: number | null; flagged: boolean };
  simulated: { aiShare: number; ratio: number | null; flagged: boolean };
}

export interface SimulationResult {
  version: string;
  from: string;
  to: string;
  tickets: number;
  routes: {
    actual: Record<Route, number>;
    simulated: Record<Route, number>;
    changed: { aiToHuman: number; humanToAi: number };
  };
  priorities: { actual: Record<Priority, number>; simulated: Record<Priority, number> };
  reasons: { actual: Record<string, number>; simulated: Record<string, number> };
  workload: {
    days: number;
    capacity: { agents: number; availableAgents: number; totalCapacity: number; availableCapacity: number };
    hours: { hour: number; actual: number; simulated: number; simulatedPerCapacity: number | null }[];
  };
  fairness: {
    threshold: number;
    minGroupSize: number;
    attributes: Record<FairnessAttribute, { groups: FairnessComparison[]; newlyFlagged: string[] }>;
  };
  sample: {
    ticketId: string;
    createdAt: string;
    actual: { route: Route; priority: Priority; reasons: Reason[] };
    simulated: { route: Route; priority: Priority; reasons: Reason[] };
  }[];
  caveats: string[];
}

const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Replays the stored scores of the intake decisions in [from, to) through `policy` and sets the
 * result next to what was decided at the time. Reads scores, flags, language, tier and the stored
 * routing inputs only: no message text and no personal data.
 */
export async function simulatePolicy(
  pool: Pool,
  policy: RoutingPolicy,
  window: { from: Date; to: Date },
  options: { minGroupSize: number; activeVersion: string },
): Promise<SimulationResult> {
  const params = [
    window.from, window.to, policy.humanFlags, policy.negativeSentimentThreshold, policy.highComplexityThreshold,
    policy.aiLanguages, policy.repeatContactThreshold, policy.urgentFlags, policy.highFlags,
  ];
  // Separate connections, so Postgres works on them at the same time.
  const [aggregate, sample, capacity] = await Promise.all([
    aggregateInOnePass(pool, params),
    // The route needs no priority flags ($8, $9): the limit takes their place.
    pool.query<SampleRow>(SAMPLE_SQL, [...params.slice(0, 7), SAMPLE_SIZE]),
    pool.query<{ agents: number; available_agents: number; total_capacity: number; available_capacity: number }>(
      `SELECT count(*)::int AS agents, count(*) FILTER (WHERE status = 'available')::int AS available_agents,
         COALESCE(sum(capacity), 0)::int AS total_capacity, COALESCE(sum(capacity) FILTER (WHERE status = 'available'), 0)::int AS available_capacity
       FROM agents`,
    ),
  ]);
  const groups = aggregate.filter((r) => r.by_group);
  const outcomes = aggregate.filter((r) => !r.by_group);

  const routes = { actual: zeroes(['ai', 'human'] as const), simulated: zeroes(['ai', 'human'] as const), changed: { aiToHuman: 0, humanToAi: 0 } };
  const priorities = { actual: zeroes(PRIORITIES), simulated: zeroes(PRIORITIES) };
  let tickets = 0;
  const reasons = { actual: {} as Record<string, number>, simulated: {} as Record<string, number> };
  for (const r of outcomes) {
    const newRoute: Route = r.new_mask === 0 ? 'ai' : 'human';
    tickets += r.n;
    routes.actual[r.old_route] += r.n;
    routes.simulated[newRoute] += r.n;
    if (r.old_route === 'ai' && newRoute === 'human') routes.changed.aiToHuman += r.n;
    if (r.old_route === 'human' && newRoute === 'ai') routes.changed.humanToAi += r.n;
    priorities.actual[r.old_priority] += r.n;
    priorities.simulated[PRIORITIES[r.new_level]] += r.n;
    for (const code of new Set(JSON.parse(r.old_codes) as string[])) reasons.actual[code] = (reasons.actual[code] ?? 0) + r.n;
    const codes = MASK_CODES.filter((_, bit) => r.new_mask & (1 << bit));
    for (const code of codes.length ? codes : ['ROUTINE']) reasons.simulated[code] = (reasons.simulated[code] ?? 0) + r.n;
  }

  const cap = capacity.rows[0];
  const days = (window.to.getTime() - window.from.getTime()) / 86_400_000;
  const perHour = sumBy(groups, (r) => r.hour);
  const hours = Array.from({ length: 24 }, (_, hour) => {
    const r = perHour.get(hour);
    const simulated = r ? (r.n - r.new_ai_count) / days : 0;
    return {
      hour,
      actual: round(r ? (r.n - r.old_ai_count) / days : 0),
      simulated: round(simulated),
      simulatedPerCapacity: cap.total_capacity ? round(simulated / cap.total_capacity, 3) : null,
    };
  });

  const attributes = Object.fromEntries(
    FAIRNESS_ATTRIBUTES.map((attribute) => [attribute, compareFairness([...sumBy(groups, (r) => r[attribute] ?? 'unknown').values()], attribute, options.minGroupSize)]),
  ) as SimulationResult['fairness']['attributes'];

  const caveats: string[] = [];
  if (options.activeVersion !== policy.version) {
    caveats.push(`"actual" is what was decided at intake, under whichever version was active then (now ${options.activeVersion}).`);
  }
  caveats.push(
    `Repeat contacts are replayed from the count stored at intake, taken over the repeat window of the version active then; a different repeatContactWindowHours (${policy.repeatContactWindowHours} h here) cannot be replayed.`,
  );

  return {
    version: policy.version,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    tickets,
    routes,
    priorities,
    reasons,
    workload: {
      days: round(days, 3),
      capacity: { agents: cap.agents, availableAgents: cap.available_agents, totalCapacity: cap.total_capacity, availableCapacity: cap.available_capacity },
      hours,
    },
    fairness: { threshold: FOUR_FIFTHS, minGroupSize: options.minGroupSize, attributes },
    sample: sample.rows.map((r) => {
      // The handful of examples get their full explanation from the same function intake uses.
      const replay = decideRoute(
        { sentiment: r.sentiment, complexity: r.complexity, flags: r.flags, language: r.language, topics: [], dissatisfied: false, evidence: [] },
        { aiOptOut: r.ai_opt_out, tier: r.tier, recentTicketCount: r.recent_ticket_count },
        policy,
      );
      return {
        ticketId: r.ticket_id,
        createdAt: r.created_at.toISOString(),
        actual: { route: r.route, priority: r.priority, reasons: r.reasons },
        simulated: { route: replay.route, priority: replay.priority, reasons: replay.reasons },
      };
    }),
    caveats,
  };
}

/** Runs the aggregate in a read-only transaction of its own, so its planner settings end with it. */
async function aggregateInOnePass(pool: Pool, params: unknown[]): Promise<AggregateRow[]> {
  return inPgTransaction(pool, 'BEGIN READ ONLY', async (client) => {
    for (const setting of AGGREGATE_SETTINGS) await client.query(setting);
    const { rows } = await client.query<AggregateRow>(AGGREGATE_SQL, params);
    return rows;
  });
}

/** The four-fifths rule of GET /v1/stats/fairness on the AI share, before and after. */
function compareFairness(rows: AggregateRow[], attribute: FairnessAttribute, minGroupSize: number) {
  const keyOf = (r: AggregateRow) => r[attribute] ?? 'unknown';
  const asRows = (count: (r: AggregateRow) => number) =>
    rows.map((r) => ({ key: keyOf(r), tickets: r.n, aiRouted: count(r), aiAnswered: 0, escalated: 0, firstResponseP50: null }));
  const actual = computeFairness(asRows((r) => r.old_ai_count), minGroupSize);
  const simulated = computeFairness(asRows((r) => r.new_ai_count), minGroupSize);
  const groups: FairnessComparison[] = actual.map((a, i) => {
    const s = simulated[i];
    return {
      key: a.key,
      tickets: a.tickets,
      smallSample: a.smallSample,
      actual: { aiShare: a.aiShare, ratio: a.ratios.aiShare, flagged: a.flagged },
      simulated: { aiShare: s.aiShare, ratio: s.ratios.aiShare, flagged: s.flagged },
    };
  });
  groups.sort((a, b) => a.key.localeCompare(b.key));
  return { groups, newlyFlagged: groups.filter((g) => g.simulated.flagged && !g.actual.flagged).map((g) => g.key) };
}
