import type { Db } from '../../shared/db/prisma';

export type ReviewReason = 'near_threshold' | 'sample';

/**
 * Which answers a person checks: every one just above the threshold (where a wrong threshold
 * shows first) and a random sample of the rest, so quality is measured, not assumed.
 */
export function pickForReview(
  confidence: number,
  ai: { minConfidence: number; reviewNearMargin: number; reviewSampleRate: number },
  random: () => number = Math.random,
): ReviewReason | null {
  if (confidence < ai.minConfidence + ai.reviewNearMargin) return 'near_threshold';
  return random() < ai.reviewSampleRate ? 'sample' : null;
}

export interface ReviewSummary {
  queued: number;
  reviewed: number;
  good: number;
  bad: number;
  /** good / reviewed, null before any review. */
  goodRate: number | null;
}

/** AI answer quality as people judged it, for the stats: picked answers created in [from, to). */
export async function summariseReviews(db: Db, range: { from: Date; to: Date }): Promise<ReviewSummary> {
  const rows = await db.aiReview.groupBy({
    by: ['verdict'],
    where: { createdAt: { gte: range.from, lt: range.to } },
    _count: { _all: true },
  });
  const count = (v: 'good' | 'bad' | null) => rows.find((r) => r.verdict === v)?._count._all ?? 0;
  const good = count('good');
  const bad = count('bad');
  return { queued: good + bad + count(null), reviewed: good + bad, good, bad, goodRate: good + bad > 0 ? good / (good + bad) : null };
}
