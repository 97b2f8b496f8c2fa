import { computeFairness } from './compute-fairness';

const row = (key: string, tickets: number, aiRouted: number, firstResponseP50: number | null = null) => ({
  key,
  tickets,
  aiRouted,
  aiAnswered: 0,
  escalated: 0,
  firstResponseP50,
});

describe('computeFairness', () => {
  test('when groups are large enough, then each rate is compared with the best group and under 0.8 is flagged', () => {
    const groups = computeFairness([row('en', 40, 32, 60), row('es', 40, 12, 300), row('fr', 40, 30, 70)], 30);
    expect(groups.map((g) => [g.key, g.ratios.aiShare, g.ratios.firstResponseP50, g.flagged])).toEqual([
      ['en', 1, 1, false],
      ['es', 0.375, 0.2, true],
      ['fr', 0.9375, 0.8571, false],
    ]);
    expect(groups[1].flaggedRates).toEqual(['aiShare', 'firstResponseP50']);
  });

  test('when a group is under the minimum, then it is compared with the large groups but never flagged, nor taken as the best', () => {
    const groups = computeFairness([row('en', 40, 20), row('it', 3, 3), row('ja', 3, 0)], 30);
    expect(groups.map((g) => [g.key, g.ratios.aiShare, g.smallSample, g.flagged])).toEqual([
      ['en', 1, false, false],
      ['it', 2, true, false],
      ['ja', 0, true, false],
    ]);
  });

  test('when no group reaches the minimum, then the ratios are still given against the best group, and nothing is flagged', () => {
    const groups = computeFairness([row('en', 5, 5, 30), row('es', 5, 1, 120)], 30);
    expect(groups.map((g) => [g.key, g.ratios.aiShare, g.ratios.firstResponseP50, g.smallSample, g.flagged])).toEqual([
      ['en', 1, 1, true, false],
      ['es', 0.2, 0.25, true, false],
    ]);
  });
});
