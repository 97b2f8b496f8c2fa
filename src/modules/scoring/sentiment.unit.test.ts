import fc from 'fast-check';
import { fold } from './normalise';
import { scoreSentiment } from './sentiment';

describe('scoreSentiment text preparation', () => {
  test('when a French elision starts a word, then it is split even among English apostrophes', () => {
    // "n'" is the negator "ne": unsplit, "bien" would stay positive.
    expect(scoreSentiment("c'est n'bien", 'fr')).toBe(scoreSentiment('ce est ne bien', 'fr'));
    expect(scoreSentiment("c'est n'bien", 'fr')).toBeLessThan(0);
    expect(scoreSentiment("i'm fine, qu'bien", 'fr')).toBe(scoreSentiment("i'm fine, que bien", 'fr'));
    expect(scoreSentiment("(n'bien", 'fr')).toBe(scoreSentiment('(ne bien', 'fr'));
  });

  test('when an apostrophe follows a letter inside a word or precedes no letter, then nothing is split', () => {
    // Split, these would read "une bien" (positive) and "ne bien" (negated).
    expect(scoreSentiment("un'bien", 'fr')).toBe(0);
    expect(scoreSentiment("n' bien", 'fr')).toBeGreaterThan(0);
  });

  test('when random texts mix apostrophes, elided letters and words, then the result is that of the elisions spelled out', () => {
    const piece = fc.constantFrom("'", "'", 'n', 'c', 'qu', 'q', 'u', 'a', 'bien', 'pas', 'ne', ' ', ' ', ',', '(', '_', '0', 'é');
    const text = fc.array(piece, { maxLength: 16 }).map((parts) => parts.join(''));
    // Spelled out in the folded text, which is where scoreSentiment splits them ("é" folds to a letter).
    const spelledOut = (t: string) => fold(t).replace(/\b(qu|[cdjlmnst])'(?=[a-z])/g, '$1e ');
    fc.assert(fc.property(text, (t) => expect(scoreSentiment(t, 'fr')).toBe(scoreSentiment(t, 'fr', spelledOut(t)))), { numRuns: 2000 });
  });

  test('when a text has Latin-1 punctuation or emoji but nothing beyond Latin-1, then they are rewritten as in any other text', () => {
    expect(scoreSentiment('¿bueno? ¡«excelente»!', 'es')).toBe(scoreSentiment(' bueno?   excelente !', 'es'));
    expect(scoreSentiment('¿bueno?', 'es')).toBeGreaterThan(0);
    // The same text with an emoji goes through every rewrite; the Latin-1 part must come out the same.
    expect(scoreSentiment('¿bueno? «excelente» © 🙂', 'es')).toBe(scoreSentiment(' bueno?  excelente    ©   🙂 ', 'es'));
    expect(scoreSentiment('©bueno', 'es')).toBe(scoreSentiment(' © bueno', 'es'));
  });
});
