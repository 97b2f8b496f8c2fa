import { GROWTH, RELATIVE_ERROR, addSparseText, addToHistogram, histogramPercentile, newHistogram } from './histogram';
import { DAY_MS, planWindow } from './stats-window';

/** The bucket the SQL of bucketSql computes, written again in JS. */
const bucketOf = (s: number) => (s < 1 ? 0 : 1 + Math.floor(Math.log(s) / Math.log(GROWTH)));

function percentileCont(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  return sorted[lo] + (sorted[Math.ceil(pos)] - sorted[lo]) * (pos - lo);
}

describe('histogram percentiles', () => {
  test.each([
    ['wide log-normal waits', (r: number) => Math.exp(2 + r * 10)],
    ['a narrow band', (r: number) => 3600 + r * 60],
    ['mostly sub-second', (r: number) => (r < 0.7 ? r : 5 + r * 100)],
  ])('when the values are %s, then p50 and p90 are within the stated error of percentile_cont', (_name, draw) => {
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (const n of [1, 2, 3, 10, 1000, 20_000]) {
      const values = Array.from({ length: n }, () => draw(rand()));
      const h = newHistogram();
      for (const v of values) addToHistogram(h, bucketOf(v), 1);
      for (const p of [0.5, 0.9]) {
        const exact = percentileCont(values, p);
        const got = histogramPercentile(h, p)!;
        // Below one second the buckets are one second wide.
        expect(Math.abs(got - exact)).toBeLessThanOrEqual(Math.max(exact * RELATIVE_ERROR, 1));
      }
    }
  });

  test('when a histogram is empty, then it has no percentile', () => {
    expect(histogramPercentile(newHistogram(), 0.5)).toBeNull();
  });

  test('when rollup rows arrive as text arrays, then their counts add up per bucket', () => {
    const h = newHistogram();
    addSparseText(h, '{0,7,130}', '{2,15,1}');
    addSparseText(h, '{7}', '{5}');
    addSparseText(h, '{}', '{}');
    addSparseText(h, null, null);
    addSparseText(h, '{9999}', '{3}');
    expect([h[0], h[7], h[130], h[h.length - 1], h.reduce((s, n) => s + n, 0)]).toEqual([2, 20, 1, 3, 26]);
  });
});

describe('the plan of a window', () => {
  const d = (iso: string) => new Date(iso);
  const hoursOf = (from: string, n: number) => Array.from({ length: n }, (_, i) => new Date(d(from).getTime() + i * 3_600_000));

  test('when rolled-up days are cut by the window, then their whole hours come from hourly rows and only partial hours are read live', () => {
    const days = [d('2026-01-01T00:00:00Z'), d('2026-01-02T00:00:00Z'), d('2026-01-03T00:00:00Z'), d('2026-01-05T00:00:00Z'), d('2026-01-06T00:00:00Z')];
    expect(planWindow(d('2026-01-01T10:30:00Z'), d('2026-01-06T12:00:00Z'), days)).toEqual({
      days: [d('2026-01-02T00:00:00Z'), d('2026-01-03T00:00:00Z'), d('2026-01-05T00:00:00Z')],
      hours: [...hoursOf('2026-01-01T11:00:00Z', 13), ...hoursOf('2026-01-06T00:00:00Z', 12)],
      live: [
        { start: d('2026-01-01T10:30:00Z'), end: d('2026-01-01T11:00:00Z') },
        { start: d('2026-01-04T00:00:00Z'), end: d('2026-01-05T00:00:00Z') },
      ],
    });
  });

  test('when the rolled-up days cover the window, then nothing is read live', () => {
    const from = d('2026-01-02T00:00:00Z');
    expect(planWindow(from, new Date(from.getTime() + 2 * DAY_MS), [from, new Date(from.getTime() + DAY_MS)])).toEqual({ days: [from, new Date(from.getTime() + DAY_MS)], hours: [], live: [] });
  });

  test('when nothing is rolled up, then the whole window is live', () => {
    expect(planWindow(d('2026-01-01T10:00:00Z'), d('2026-01-01T11:00:00Z'), [])).toEqual({ days: [], hours: [], live: [{ start: d('2026-01-01T10:00:00Z'), end: d('2026-01-01T11:00:00Z') }] });
  });

  test('when the window lies inside one hour of a rolled-up day, then it is read live', () => {
    expect(planWindow(d('2026-01-01T10:10:00Z'), d('2026-01-01T10:50:00Z'), [d('2026-01-01T00:00:00Z')])).toEqual({ days: [], hours: [], live: [{ start: d('2026-01-01T10:10:00Z'), end: d('2026-01-01T10:50:00Z') }] });
  });
});
