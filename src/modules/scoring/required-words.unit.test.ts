import fc from 'fast-check';
import flagLexicon from './lexicons/flags.json';
import topicLexicon from './lexicons/topics.json';
import labelled from './labelled-messages.json';
import { normalise } from './normalise';
import { matchAtStarts, requirementOf, satisfied, startWordsOf, wordPrefixes, type StartWords } from './required-words';

const fragments = flagLexicon.fragments as Record<string, string>;
const patterns: string[] = [];
const collect = (byLanguage: Record<string, unknown>) => {
  for (const list of Object.values(byLanguage)) {
    if (Array.isArray(list)) for (const p of list as string[]) patterns.push(p.replace(/\{([A-Z_]+)\}/g, (_, name: string) => fragments[name]));
  }
};
for (const byLanguage of Object.values(flagLexicon.flags)) collect(byLanguage as Record<string, unknown>);
collect(flagLexicon.dissatisfied as Record<string, unknown>);
collect(topicLexicon as Record<string, unknown>);

const compiled = patterns.map((p) => ({
  regex: new RegExp(`\\b(?:${p})(?![a-z0-9])`),
  anchored: new RegExp(`\\b(?:${p})(?![a-z0-9])`, 'y'),
  requirement: requirementOf(p),
  starts: startWordsOf(p),
}));
// Words the lexicons use, so random texts contain near-misses and matches, not just noise.
const vocabulary = [...new Set(patterns.join(' ').match(/[a-z0-9']+/g) ?? [])];

/** The pre-check may keep an entry that cannot match; it must never drop one that can. */
function assertNeverDropsAMatch(text: string): void {
  const prefixes = wordPrefixes(text);
  for (const { regex, requirement } of compiled) {
    if (regex.test(text)) expect({ text, regex: regex.source.slice(0, 80), kept: satisfied(requirement, prefixes) }).toMatchObject({ kept: true });
  }
}

/** Every position `matchAtStarts` tries for these start words, in order: a regex that matches anywhere is tried at each. */
const ANYWHERE = /(?:)/y;
function startPositions(starts: StartWords, text: string): number[] {
  const prefixes = wordPrefixes(text);
  const tried: number[] = [];
  for (let at = matchAtStarts(ANYWHERE, text, starts, prefixes, 0); at !== -1; at = matchAtStarts(ANYWHERE, text, starts, prefixes, at + 1)) tried.push(at);
  return tried;
}

/**
 * An entry is tried only where its start words begin a word: no position where it matches may be left out.
 * From any such position on, that is the match found; from the start of the text, the first of them, past
 * the start words' positions where the entry fails.
 */
function assertEveryMatchStartIsTried(text: string): void {
  const prefixes = wordPrefixes(text);
  for (const { anchored, starts } of compiled) {
    if (!starts) continue;
    let first = -1;
    for (let position = 0; position < text.length; position++) {
      anchored.lastIndex = position;
      if (!anchored.test(text)) continue;
      if (first === -1) first = position;
      const found = matchAtStarts(anchored, text, starts, prefixes, position);
      expect({ text, regex: anchored.source.slice(0, 80), position, found }).toMatchObject({ found: position });
    }
    expect({ text, regex: anchored.source.slice(0, 80), first: matchAtStarts(anchored, text, starts, prefixes, 0) }).toMatchObject({ first });
  }
}

const labelledTexts = (labelled as { text: string; subject?: string }[]).map((row) => normalise(`${row.subject ?? ''}.\n${row.text}`));

describe('required words of the lexicon patterns', () => {
  test('when a labelled message matches an entry, then the pre-check keeps that entry', () => {
    for (const text of labelledTexts) assertNeverDropsAMatch(text);
  });

  test('when a labelled message matches an entry, then the match begins where one of the entry\'s start words does', () => {
    for (const text of labelledTexts) assertEveryMatchStartIsTried(text);
  });

  test('when random texts are built from the lexicons\' words, then no matching entry is dropped', () => {
    const word = fc.constantFrom(...vocabulary);
    const separator = fc.constantFrom(' ', ' ', ' ', ', ', '. ', "'", '-');
    const text = fc.array(fc.tuple(word, separator), { minLength: 1, maxLength: 12 }).map((parts) => parts.map(([w, s]) => w + s).join(''));
    fc.assert(fc.property(text, (t) => assertNeverDropsAMatch(t)), { numRuns: 2000 });
  });

  test('when random texts are built from the lexicons\' words, then every match begins at a tried position', () => {
    const word = fc.constantFrom(...vocabulary);
    const separator = fc.constantFrom(' ', ' ', ' ', ', ', '. ', "'", '-', '_');
    const text = fc.array(fc.tuple(word, separator), { minLength: 1, maxLength: 12 }).map((parts) => parts.map(([w, s]) => w + s).join(''));
    fc.assert(fc.property(text, (t) => assertEveryMatchStartIsTried(t)), { numRuns: 500 });
  });

  test('when a pattern begins with an optional article, then its start words are the article\'s and the noun\'s', () => {
    const starts = startWordsOf('(?:(?:a|the)\\s)?(?:human|agent)')!;
    expect(startPositions(starts, 'i want the agent now')).toEqual([7, 11]);
    expect(startPositions(starts, 'talk to a human')).toEqual([8, 10]);
  });

  test('when a short first word must end where the pattern says, then longer words that begin with it are not tried', () => {
    const starts = startWordsOf('(?:a|the) (?:human|agent)')!;
    expect(startPositions(starts, 'another human and a agent')).toEqual([18]);
    // "(?:ab){0,2}" may repeat, so "ab" is only the beginning of a word ("ababcd").
    expect(startPositions(startWordsOf('(?:ab){0,2}cd')!, 'ababcd cd')).toEqual([0, 7]);
  });

  test('when an entry fails where its start words first begin, then it is tried on to where it matches', () => {
    const entry = (pattern: string) => ({ regex: new RegExp(`\\b(?:${pattern})(?![a-z0-9])`, 'y'), starts: startWordsOf(pattern)! });
    const one = entry('speak to (?:a )?(?:human|person)');
    const oneText = 'the speaker is broken, let me speak to a human';
    expect(matchAtStarts(one.regex, oneText, one.starts, wordPrefixes(oneText), 0)).toBe(30);
    const several = entry('(?:(?:a|the)\\s)?(?:human|agent)');
    const severalText = 'the agency said a human will call';
    expect(matchAtStarts(several.regex, severalText, several.starts, wordPrefixes(severalText), 0)).toBe(16);
    expect(matchAtStarts(several.regex, severalText, several.starts, wordPrefixes(severalText), 17)).toBe(18);
    expect(matchAtStarts(several.regex, severalText, several.starts, wordPrefixes(severalText), 19)).toBe(-1);
  });

  test('when a pattern begins with something the reading does not follow, then it has no start words and is scanned', () => {
    expect(startWordsOf('[a-z]+ refund')).toBeUndefined();
    expect(startWordsOf('(?:\\d+|many) times')).toBeUndefined();
    expect(startWordsOf('(?:x)?')).toBeUndefined();
  });

  test('when the required words are missing, then the entry is not scanned', () => {
    const requirement = requirementOf('(?:file|lodge) a complaint');
    expect(satisfied(requirement, wordPrefixes('i want to lodge a complaint'))).toBe(true);
    expect(satisfied(requirement, wordPrefixes('my parcel is late'))).toBe(false);
  });
});
