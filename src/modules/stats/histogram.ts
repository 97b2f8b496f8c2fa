/**
 * Log-scale histograms of elapsed seconds, so percentiles of a large window can be read from the
 * daily rollup instead of sorting every ticket. Bucket 0 holds [0, 1) s, bucket b >= 1 holds
 * [GROWTH^(b-1), GROWTH^b) s: any value read back lies in the true value's bucket, so the relative
 * error of a percentile is under GROWTH - 1 (5 %).
 */
export const GROWTH = 1.05;
export const RELATIVE_ERROR = GROWTH - 1;

/**
 * The SQL for the bucket of a float8 elapsed-seconds expression (NULL stays NULL, through ln); the
 * same in the job and the live part. All float8: numeric arithmetic here cost 10 times more.
 */
export function bucketSql(seconds: string): string {
  return `CASE WHEN ${seconds} < 1 THEN 0 ELSE 1 + floor(ln(${seconds}) / ln(${GROWTH}::float8))::int END`;
}

/** Bucket number to count; merging two histograms adds counts per bucket. */
export type Histogram = Map<number, number>;

export function addToHistogram(h: Histogram, bucket: number, n: number): void {
  h.set(bucket, (h.get(bucket) ?? 0) + n);
}

/** The value of the k-th smallest element (0-based), placed evenly (geometrically) inside its bucket. */
function valueAt(sorted: [number, number][], k: number): number {
  let before = 0;
  for (const [bucket, n] of sorted) {
    if (k < before + n) {
      const f = (k - before + 0.5) / n;
      if (bucket === 0) return f;
      const lo = GROWTH ** (bucket - 1);
      return lo * GROWTH ** f;
    }
    before += n;
  }
  throw new Error('rank beyond the histogram');
}

/** percentile_cont's definition (linear between the two nearest ranks) applied to a histogram. */
export function histogramPercentile(h: Histogram, p: number): number | null {
  const sorted = [...h.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = p * (total - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = valueAt(sorted, lo);
  return hi === lo ? a : a + (valueAt(sorted, hi) - a) * (rank - lo);
}
