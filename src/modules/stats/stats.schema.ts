import { z } from 'zod';
import { emptyAsAbsent, pageQuery } from '../../shared/http/validation';

const DAY_MS = 86_400_000;
/**
 * An ISO-8601 date or date-time, in UTC as the contract's times are: a date alone is that day's
 * midnight UTC (Date reads it so), and a time without an offset is UTC (Date would read it as local
 * time, hence the Z).
 */
const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true, local: true })], {
    error: 'must be an ISO-8601 date or date-time, e.g. 2026-11-27 or 2026-11-27T00:00:00Z',
  })
  .transform((s) => new Date(s.includes('T') && !/(Z|[+-]\d\d:\d\d)$/.test(s) ? `${s}Z` : s));
export const windowShape = { from: emptyAsAbsent(instant.optional()), to: emptyAsAbsent(instant.optional()) };

/** A reporting window [from, to): by default the `defaultDays` days up to now. */
function windowOf(defaultDays: number) {
  return <Q extends { from?: Date; to?: Date }>(q: Q, ctx: z.RefinementCtx) => {
    const to = q.to ?? new Date();
    const from = q.from ?? new Date(to.getTime() - defaultDays * DAY_MS);
    if (from >= to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
    return { ...q, from, to };
  };
}
export const resolveWindow = windowOf(30);

export const GROUP_BY = ['priority', 'route', 'channel', 'source', 'agent'] as const;
export type GroupBy = (typeof GROUP_BY)[number];
export const SlaStatsQuery = z
  .object({ ...windowShape, groupBy: emptyAsAbsent(z.enum(GROUP_BY).default('priority')) })
  .strict()
  .transform(resolveWindow);

export const FAIRNESS_ATTRIBUTES = ['locale', 'tier', 'channel'] as const;
export type FairnessAttribute = (typeof FAIRNESS_ATTRIBUTES)[number];
export const FairnessQuery = z
  .object({ ...windowShape, attribute: emptyAsAbsent(z.enum(FAIRNESS_ATTRIBUTES).default('locale')) })
  .strict()
  .transform(resolveWindow);

export const TrendQuery = z
  .object({ ...windowShape, bucket: emptyAsAbsent(z.enum(['hour', 'day']).default('day')) })
  .strict()
  .transform(resolveWindow)
  .refine((q) => (q.to.getTime() - q.from.getTime()) / (q.bucket === 'hour' ? 3_600_000 : DAY_MS) <= 400, {
    message: 'at most 400 buckets: widen the bucket or narrow the window',
    path: ['bucket'],
  });

export const BreachesQuery = pageQuery.strict();

/** Longest skills-report window: supply is summed hour by hour, and a longer profile only blurs the hours of the day. */
export const SKILLS_MAX_DAYS = 92;
export const SkillsQuery = z
  .object(windowShape)
  .strict()
  .transform(windowOf(7))
  .refine((q) => q.to.getTime() - q.from.getTime() <= SKILLS_MAX_DAYS * DAY_MS, {
    message: `at most ${SKILLS_MAX_DAYS} days: narrow the window`,
    path: ['from'],
  });
