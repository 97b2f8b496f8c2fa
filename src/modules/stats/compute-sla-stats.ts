import type { Deps } from '../../shared/deps';
import { agentLoads, escalationReasons, humanQueue, slaGroups, type ClockRow, type SlaGroupRow } from './stats.repository';
import type { GroupBy } from './stats.schema';

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

/** GET /v1/stats/sla: clocks per group over the window, and the queue as it is now. */
export async function computeSlaStats(deps: Pick<Deps, 'db' | 'queues'>, q: { from: Date; to: Date; groupBy: GroupBy }, now = new Date()) {
  const [{ groups, total }, queue, reasons, jobs, agents] = await Promise.all([
    slaGroups(deps.db, q.groupBy, q.from, q.to, now),
    humanQueue(deps.db),
    escalationReasons(deps.db, q.from, q.to),
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
  return {
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
}

const emptyClock: ClockRow = { achieved: 0, breached: 0, p50: null, p90: null };
