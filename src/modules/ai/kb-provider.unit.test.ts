import { focusQuestion, kbConfidence } from './kb-provider';
import { pickForReview } from './reviews';

describe('kb confidence', () => {
  test('when an article covers more of the question, then confidence is higher at the same rank', () => {
    expect(kbConfidence({ rank: 0.8, coverage: 1 })).toBeGreaterThan(kbConfidence({ rank: 0.8, coverage: 0.25 }));
  });
  test('when inputs are extreme, then confidence stays in [0, 1]', () => {
    expect(kbConfidence({ rank: 0, coverage: 0 })).toBe(0);
    expect(kbConfidence({ rank: 1, coverage: 1 })).toBe(1);
  });
  test('when a question is polite, then pleasantries and placeholders are dropped before matching', () => {
    expect(focusQuestion('Hi, could you please tell me how to reset my password? Thanks [EMAIL]', 'en')).toBe('you me how to reset my password');
  });
});

describe('pickForReview', () => {
  const ai = { minConfidence: 0.55, reviewNearMargin: 0.1, reviewSampleRate: 0.05 };
  test('when confidence is just above the threshold, then it is always reviewed', () => {
    expect(pickForReview(0.6, ai, () => 0.99)).toBe('near_threshold');
  });
  test('when confidence is high, then only the random sample is reviewed', () => {
    expect(pickForReview(0.9, ai, () => 0.01)).toBe('sample');
    expect(pickForReview(0.9, ai, () => 0.5)).toBeNull();
  });
});
