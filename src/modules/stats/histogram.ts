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

/**
 * Counts per bucket, dense: merging a month of rollup rows by agent adds ~250,000 entries, and typed
 * array slots are several times cheaper than Map entries. 512 buckets reach 1.05^511 s, far beyond
 * any wait, and the last one takes whatever lies beyond.
 */
export const BUCKETS = 512;
export type Histogram = Float64Array;
export const newHistogram = (): Histogram => new Float64Array(BUCKETS);

export function addToHistogram(h: Histogram, bucket: number, n: number): void {
  h[Math.min(bucket, BUCKETS - 1)] += n;
}

/**
 * Adds a rollup row's sparse histogram, its bucket and count arrays in Postgres's text form
 * ('{3,5}' and '{10,2}'), without building intermediate arrays.
 */
export function addSparseText(h: Histogram, buckets: string | null, counts: string | null): void {
  if (buckets === null || counts === null) return;
  let i = 1;
  let j = 1;
  while (i < buckets.length) {
    let b = 0;
    let n = 0;
    let c: number;
    while ((c = buckets.charCodeAt(i++)) >= 48 && c <= 57) b = b * 10 + c - 48;
    while ((c = counts.charCodeAt(j++)) >= 48 && c <= 57) n = n * 10 + c - 48;
    if (n > 0) addToHistogram(h, b, n);
  }
}

/** The value of the k-th smallest element (0-based), placed evenly (geometrically) inside its bucket. */
function valueAt(h: Histogram, k: number): number {
  let before = 0;
  for (let bucket = 0; bucket < h.length; bucket++) {
    const n = h[bucket];
    if (n > 0 && k < before + n) {
      const f = (k - before + 0.5) / n;
      if (bucket === 0) return f;
      return GROWTH ** (bucket - 1) * GROWTH ** f;
    }
    before += n;
  }
  throw new Error('rank beyond the histogram');
}

/** percentile_cont's definition (linear between the two nearest ranks) applied to a histogram. */
export function histogramPercentile(h: Histogram, p: number): number | null {
  const total = h.reduce((s, n) => s + n, 0);
  if (total === 0) return null;
  const rank = p * (total - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = valueAt(h, lo);
  return hi === lo ? a : a + (valueAt(h, hi) - a) * (rank - lo);
}
