import type { FairnessRow } from './stats.repository';

/** The four-fifths rule: a group whose rate is under 80 % of the best group's is flagged. */
export const FOUR_FIFTHS = 0.8;

export interface FairnessGroup {
  key: string;
  tickets: number;
  aiShare: number;
  escalatedAfterAiShare: number | null;
  firstResponseP50Seconds: number | null;
  ratios: { aiShare: number | null; escalatedAfterAi: number | null; firstResponseP50: number | null };
  /** Below the minimum group size: reported, never flagged. */
  smallSample: boolean;
  flagged: boolean;
  flaggedRates: string[];
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/** higher: the rate where more is better for the customer; lower: where less is (waits, escalations). */
function ratio(value: number | null, best: number | null, direction: 'higher' | 'lower'): number | null {
  if (value === null || best === null) return null;
  if (direction === 'higher') return best === 0 ? 1 : round(value / best);
  return value === 0 ? 1 : round(best / value);
}

/**
 * Compares each group with the best-served group among those large enough to judge, or, while none is,
 * with the best of all: the ratios are then shown for what they are worth and nothing is flagged.
 * - aiShare: higher is better (the AI answers at once; a group it serves far less often waits for
 *   people, e.g. a language the AI does not speak).
 * - escalatedAfterAi: lower is better (the AI's answer did not help).
 * - firstResponseP50: lower is better.
 * Pure, so the rule is unit-tested apart from SQL.
 */
export function computeFairness(rows: FairnessRow[], minGroupSize: number): FairnessGroup[] {
  const base = rows.map((r) => ({
    row: r,
    aiShare: r.tickets ? r.aiRouted / r.tickets : 0,
    esc: r.aiAnswered ? r.escalated / r.aiAnswered : null,
    p50: r.firstResponseP50,
    eligible: r.tickets >= minGroupSize,
  }));
  const eligible = base.filter((b) => b.eligible);
  const reference = eligible.length > 0 ? eligible : base;
  const best = (pick: (b: (typeof base)[number]) => number | null, dir: 'higher' | 'lower') => {
    const values = reference.map(pick).filter((v): v is number => v !== null);
    if (values.length === 0) return null;
    return dir === 'higher' ? Math.max(...values) : Math.min(...values);
  };
  const bestAi = best((b) => b.aiShare, 'higher');
  const bestEsc = best((b) => b.esc, 'lower');
  const bestP50 = best((b) => b.p50, 'lower');
  return base.map((b) => {
    const ratios = {
      aiShare: ratio(b.aiShare, bestAi, 'higher'),
      escalatedAfterAi: ratio(b.esc, bestEsc, 'lower'),
      firstResponseP50: ratio(b.p50, bestP50, 'lower'),
    };
    const flaggedRates = b.eligible ? Object.entries(ratios).filter(([, v]) => v !== null && v < FOUR_FIFTHS).map(([k]) => k) : [];
    return {
      key: b.row.key,
      tickets: b.row.tickets,
      aiShare: round(b.aiShare),
      escalatedAfterAiShare: b.esc === null ? null : round(b.esc),
      firstResponseP50Seconds: b.p50 === null ? null : round(b.p50, 3),
      ratios,
      smallSample: !b.eligible,
      flagged: flaggedRates.length > 0,
      flaggedRates,
    };
  });
}
