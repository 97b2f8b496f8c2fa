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

describe('wordsOfPatterns', () => {
  it('reads the literal words of regex sources', () => {
    expect([...wordsOfPatterns(['(?:talk|speak)(?: directly)? (?:with|to) (?:a\\s)?human', 'bots?\\b'])].sort()).toEqual(
      ['a', 'bots', 'directly', 'human', 'speak', 'talk', 'to', 'with'].sort(),
    );
  });
});
