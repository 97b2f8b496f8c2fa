import type { Deps } from '../../shared/deps';
import { histogramPercentile } from './histogram';
import { agentLoads, CLOCK_NAMES, humanQueue, slaGroups, type ClockRow, type SlaGroupRow } from './stats.repository';
import type { GroupBy } from './stats.schema';
import { inSnapshot, windowCounts, windowHistograms, windowReasons, type Counts } from './stats-window';

/** How the percentiles of a response were computed: sorted exactly, or read from the rollup's histograms. */
export type PercentileMethod = 'exact' | 'histogram';

const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;

const round = (x: number | null, digits = 3) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/** The contract's clock figures; `measured` = achieved + breached, the tickets whose outcome is known. */
function clock(c: ClockRow) {
  const measured = c.achieved + c.breached;
  return {
    measured,
    achieved: c.achieved,
    breached: c.breached,
    attainment: measured === 0 ? null : round(c.achieved / measured, 4),
    p50Seconds: round(c.p50),
    p90Seconds: round(c.p90),
  };
}

function group(r: SlaGroupRow) {
  return {
    key: r.key,
    tickets: r.tickets,
    firstResponse: clock(r.clocks.fr),
    resolution: clock(r.clocks.res),
    humanRequested: clock(r.clocks.hr),
  };
}

/**
 * The window's clock figures per group, its AI totals and escalation reasons. Counts always come
 * from the rollup plus the live part (exact either way); percentiles are sorted exactly in Postgres
 * when the window holds at most `exactMaxTickets` tickets, and read from histograms otherwise.
 */
async function slaWindow(deps: Pick<Deps, 'db' | 'pool' | 'config'>, groupBy: GroupBy, from: Date, to: Date, now: Date) {
  return inSnapshot(deps.pool, async (client, plan) => {
    const p = await plan(from, to, now);
    const counts = await windowCounts(client, p, groupBy, now);
    const reasons = await windowReasons(client, p);
    const ticketCount = [...counts.values()].reduce((s, c) => s + c.tickets, 0);
    if (ticketCount <= deps.config.stats.exactMaxTickets) return { ...(await slaGroups(deps.db, groupBy, from, to, now)), reasons, percentiles: 'exact' as PercentileMethod };
    const histograms = await windowHistograms(client, p, groupBy, now);
    const row = (key: string | null, c: Counts): SlaGroupRow => ({
      key,
      tickets: c.tickets,
      clocks: Object.fromEntries(
        CLOCK_NAMES.map((n) => {
          const h = key === null ? undefined : histograms.get(key)?.[n];
          return [n, { achieved: c[`${n}_achieved`], breached: c[`${n}_breached`], p50: h ? histogramPercentile(h, 0.5) : null, p90: h ? histogramPercentile(h, 0.9) : null }];
        }),
      ) as SlaGroupRow['clocks'],
      aiRouted: c.ai_routed,
      aiAnswered: c.ai_answered,
      aiEscalated: c.ai_escalated,
    });
    const totals: Counts = {};
    for (const c of counts.values()) for (const [k, v] of Object.entries(c)) totals[k] = (totals[k] ?? 0) + v;
    return { groups: [...counts].map(([key, c]) => row(key, c)), total: row(null, totals), reasons, percentiles: 'histogram' as PercentileMethod };
  });
}

/** GET /v1/stats/sla: clocks per group over the window, and the queue as it is now. */
export async function computeSlaStats(deps: Pick<Deps, 'db' | 'pool' | 'config' | 'queues'>, q: { from: Date; to: Date; groupBy: GroupBy }, now = new Date()) {
  const [{ groups, total, reasons, percentiles }, queue, jobs, agents] = await Promise.all([
    slaWindow(deps, q.groupBy, q.from, q.to, now),
    humanQueue(deps.db),
    deps.queues.aiAnswer.getJobCounts('waiting', 'delayed', 'prioritized', 'waiting-children', 'active', 'failed'),
    q.groupBy === 'agent' ? agentLoads(deps.db) : Promise.resolve([]),
  ]);

  let rendered: Array<ReturnType<typeof group> & { agent?: unknown }> = groups.map(group);
  if (q.groupBy === 'agent') {
    // Every agent appears, with its load now, even without tickets in the window.
    const byKey = new Map(rendered.map((g) => [g.key, g]));
    const zero = (key: string) => group({ ...total, key, tickets: 0, clocks: { fr: emptyClock, res: emptyClock, hr: emptyClock } });
    rendered = [
      ...agents.map((a) => ({
        ...(byKey.get(a.id) ?? zero(a.id)),
        agent: { name: a.name, status: a.status, capacity: a.capacity, load: a.load, utilisation: a.capacity ? round(a.load / a.capacity, 4) : null },
      })),
      ...rendered.filter((g) => g.key === 'unassigned' || !agents.some((a) => a.id === g.key)),
    ];
  }

  const oldest = queue.reduce<Date | null>((min, r) => (min === null || r.oldestQueuedAt < min ? r.oldestQueuedAt : min), null);
  const body = {
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    groupBy: q.groupBy,
    groups: rendered,
    queue: {
      humanWaiting: queue.reduce((s, r) => s + r.waiting, 0),
      oldestWaitingSeconds: oldest ? Math.max(0, Math.floor((now.getTime() - oldest.getTime()) / 1000)) : 0,
      byPriority: Object.fromEntries(PRIORITIES.map((p) => [p, queue.find((r) => r.priority === p)?.waiting ?? 0])),
      aiWaiting: (jobs.waiting ?? 0) + (jobs.delayed ?? 0) + (jobs.prioritized ?? 0) + (jobs['waiting-children'] ?? 0),
      aiActive: jobs.active ?? 0,
      aiFailed: jobs.failed ?? 0,
    },
    ai: {
      routed: total.aiRouted,
      answered: total.aiAnswered,
      escalatedAfterAnswer: total.aiEscalated,
      containmentRate: total.aiRouted === 0 ? null : round((total.aiAnswered - total.aiEscalated) / total.aiRouted, 4),
    },
    escalationReasons: reasons,
  };
  return { body, percentiles };
}

const emptyClock: ClockRow = { achieved: 0, breached: 0, p50: null, p90: null };
