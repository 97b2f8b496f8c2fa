import levenshtein from 'damerau-levenshtein';
import fc from 'fast-check';
import { Speller, wordsOfPatterns } from './spelling';

describe('Speller', () => {
  const speller = new Speller(['talk', 'speak', 'person', 'human', 'agent', 'someone', 'with']);

  it.each([
    ['can i tlak to a persn', 'can i talk to a person'],
    ['i want to pseak with a human gaent', 'i want to speak with a human agent'],
    ['help speaking wiht a humann', 'help speaking with a human'],
    ['is there sopmeone there', 'is there someone there'],
  ])('corrects one typo per word: %s', (text, corrected) => {
    expect(speller.correct(text)).toBe(corrected);
  });

  it('returns the same string when nothing needs correcting', () => {
    const text = 'where is my parcel, it was due on monday';
    expect(speller.correct(text)).toBe(text);
  });

  it('leaves words of fewer than four letters and words two typos away', () => {
    expect(speller.correct('the cat ate a hmn prsnn')).toBe('the cat ate a hmn prsnn');
  });

  it('does not guess between two vocabulary words one typo away', () => {
    const ambiguous = new Speller(['talk', 'tale']);
    expect(ambiguous.correct('talt')).toBe('talt');
    expect(ambiguous.correct('tlak')).toBe('talk');
  });
});

describe('Speller, against every vocabulary word', () => {
  const vocabulary = ['talk', 'speak', 'person', 'human', 'agent', 'someone', 'with', 'representative', "someone's", 'tale'];
  const speller = new Speller(vocabulary);
  /** What correcting a word means, by comparing it with every vocabulary word. */
  const expected = (word: string) => {
    if (word.length < 4 || vocabulary.includes(word)) return word;
    const near = vocabulary.filter((v) => levenshtein(word, v).steps === 1);
    return near.length === 1 ? near[0] : word;
  };
  const letter = fc.constantFrom(...'aeiknoprstw\''.split(''));
  const typo = fc.tuple(fc.constantFrom(...vocabulary), fc.nat(), letter, fc.constantFrom('drop', 'add', 'change', 'swap')).map(([word, at, c, kind]) => {
    const i = at % word.length;
    if (kind === 'drop') return word.slice(0, i) + word.slice(i + 1);
    if (kind === 'add') return word.slice(0, i) + c + word.slice(i);
    if (kind === 'change') return word.slice(0, i) + c + word.slice(i + 1);
    return i + 1 < word.length ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) : word;
  });

  // A text's words begin with a letter ("'alk" holds the word "alk", too short to correct).
  const word = fc.oneof(typo, fc.array(letter, { minLength: 4, maxLength: 16 }).map((letters) => letters.join(''))).filter((w) => /^[a-z]/.test(w));

  it('corrects a word exactly when one vocabulary word, and only one, is one typo away', () => {
    fc.assert(
      fc.property(word, (w) => {
        expect(speller.correct(w)).toBe(expected(w));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers the same for words it has seen before, also once its memory of them has filled and been cleared', () => {
    const forgetful = new Speller(vocabulary, 5);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 12 }), (words) => {
        // Each word twice: the second answer comes from memory, unless the memory was cleared in between.
        for (const w of [...words, ...words]) expect(forgetful.correct(w)).toBe(expected(w));
      }),
      { numRuns: 500 },
    );
  });
});

describe('wordsOfPatterns', () => {
  it('reads the literal words of regex sources', () => {
    expect([...wordsOfPatterns(['(?:talk|speak)(?: directly)? (?:with|to) (?:a\\s)?human', 'bots?\\b'])].sort()).toEqual(
      ['a', 'bots', 'directly', 'human', 'speak', 'talk', 'to', 'with'].sort(),
    );
  });
});
