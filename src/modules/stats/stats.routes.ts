import { Router } from 'express';
import type { Deps } from '../../shared/deps';
import { decodeCursor, encodeCursor } from '../../shared/http/validation';
import { requireRole } from '../auth/authenticate';
import { computeFairness, FOUR_FIFTHS } from './compute-fairness';
import { computeSkillsGap } from './compute-skills-gap';
import { computeSlaStats, type PercentileMethod } from './compute-sla-stats';
import { histogramPercentile, RELATIVE_ERROR } from './histogram';
import { breachingTickets, fairnessGroups, type FairnessRow } from './stats.repository';
import { inSnapshot, windowCounts, windowHistograms, windowTrend } from './stats-window';
import { BreachesQuery, FairnessQuery, SkillsQuery, SlaStatsQuery, TrendQuery, type FairnessAttribute } from './stats.schema';

/** The contract: "open tickets past or within 10 minutes of a due time". */
const BREACH_HORIZON_MS = 10 * 60_000;

/**
 * Not in the contract, so a header rather than a field: how the percentiles were computed, and for
 * histograms the bound of their relative error (see docs/benchmarks.md, "Stats").
 */
function percentileHeader(method: PercentileMethod): string {
  return method === 'exact' ? 'exact' : `histogram; relative-error=${RELATIVE_ERROR.toFixed(2)}`;
}

/** Fairness counts per group of `attribute`, with the first-response median exact or from histograms (see computeSlaStats). */
async function fairnessWindow(deps: Deps, attribute: FairnessAttribute, from: Date, to: Date, now: Date): Promise<{ rows: FairnessRow[]; percentiles: PercentileMethod }> {
  return inSnapshot(deps.pool, async (client, plan) => {
    const p = await plan(from, to, now);
    const counts = await windowCounts(client, p, attribute, now);
    const ticketCount = [...counts.values()].reduce((s, c) => s + c.tickets, 0);
    if (ticketCount <= deps.config.stats.exactMaxTickets) return { rows: await fairnessGroups(deps.db, attribute, from, to), percentiles: 'exact' };
    const histograms = await windowHistograms(client, p, attribute, now, ['fr']);
    const rows = [...counts].map(([key, c]) => {
      const h = histograms.get(key)?.fr;
      return { key, tickets: c.tickets, aiRouted: c.ai_routed, aiAnswered: c.answered_any, escalated: c.escalated_answered, firstResponseP50: h ? histogramPercentile(h, 0.5) : null };
    });
    return { rows, percentiles: 'histogram' };
  });
}

/** Read-only figures for supervisors; every query is bounded by a window or a page. */
export function statsRouter(deps: Deps): Router {
  const router = Router();
  const supervisor = requireRole('supervisor');

  router.get('/v1/stats/sla', supervisor, async (req, res) => {
    const { body, percentiles } = await computeSlaStats(deps, SlaStatsQuery.parse(req.query));
    res.set('X-Stats-Percentiles', percentileHeader(percentiles)).json(body);
  });

  router.get('/v1/stats/sla/trend', supervisor, async (req, res) => {
    const q = TrendQuery.parse(req.query);
    const now = new Date();
    const rows = await inSnapshot(deps.pool, async (client, plan) => windowTrend(client, await plan(q.from, q.to, now), q.bucket, now));
    const rate = (a: number, b: number) => (a + b === 0 ? null : Math.round((a / (a + b)) * 10_000) / 10_000);
    res.json({
      from: q.from.toISOString(),
      to: q.to.toISOString(),
      bucket: q.bucket,
      points: rows.map((r) => ({
        start: r.bucket.toISOString(),
        key: r.key,
        firstResponse: { achieved: r.frAchieved, breached: r.frBreached, attainment: rate(r.frAchieved, r.frBreached) },
        resolution: { achieved: r.resAchieved, breached: r.resBreached, attainment: rate(r.resAchieved, r.resBreached) },
      })),
    });
  });

  router.get('/v1/stats/fairness', supervisor, async (req, res) => {
    const q = FairnessQuery.parse(req.query);
    const { rows, percentiles } = await fairnessWindow(deps, q.attribute, q.from, q.to, new Date());
    res.set('X-Stats-Percentiles', percentileHeader(percentiles)).json({
      attribute: q.attribute,
      from: q.from.toISOString(),
      to: q.to.toISOString(),
      threshold: FOUR_FIFTHS,
      minGroupSize: deps.config.fairnessMinGroupSize,
      groups: computeFairness(rows, deps.config.fairnessMinGroupSize),
    });
  });

  router.get('/v1/stats/skills', supervisor, async (req, res) => {
    res.json(await computeSkillsGap(deps, SkillsQuery.parse(req.query)));
  });

  router.get('/v1/stats/breaches', supervisor, async (req, res) => {
    const q = BreachesQuery.parse(req.query);
    const after = decodeCursor(q.cursor);
    const now = new Date();
    const rows = await breachingTickets(deps.db, new Date(now.getTime() + BREACH_HORIZON_MS), q.limit + 1, after && { dueAt: after.createdAt, id: after.id });
    const page = rows.slice(0, q.limit);
    const clock = (name: string, due: Date | null) =>
      due && { clock: name, dueAt: due.toISOString(), breached: due <= now, overdueSeconds: Math.floor((now.getTime() - due.getTime()) / 1000) };
    res.json({
      items: page.map((r) => ({
        id: r.id,
        status: r.status,
        priority: r.priority,
        route: r.route,
        channel: r.channel,
        source: r.source,
        assignedAgentId: r.assignedAgentId,
        createdAt: r.createdAt.toISOString(),
        nextDueAt: r.nextDue.toISOString(),
        breached: r.nextDue <= now,
        clocks: [clock('first_response', r.frDue), clock('resolution', r.resDue), clock('human_request', r.hrDue)].filter(Boolean),
      })),
      nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1].nextDue, page[page.length - 1].id) : null,
    });
  });

  return router;
}
