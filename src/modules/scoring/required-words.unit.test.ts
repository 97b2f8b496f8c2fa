import fc from 'fast-check';
import flagLexicon from './lexicons/flags.json';
import topicLexicon from './lexicons/topics.json';
import labelled from './labelled-messages.json';
import { normalise } from './normalise';
import { requirementOf, satisfied, wordPrefixes } from './required-words';

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

const compiled = patterns.map((p) => ({ regex: new RegExp(`\\b(?:${p})(?![a-z0-9])`), requirement: requirementOf(p) }));
// Words the lexicons use, so random texts contain near-misses and matches, not just noise.
const vocabulary = [...new Set(patterns.join(' ').match(/[a-z0-9']+/g) ?? [])];

/** The pre-check may keep an entry that cannot match; it must never drop one that can. */
function assertNeverDropsAMatch(text: string): void {
  const prefixes = wordPrefixes(text);
  for (const { regex, requirement } of compiled) {
    if (regex.test(text)) expect({ text, regex: regex.source.slice(0, 80), kept: satisfied(requirement, prefixes) }).toMatchObject({ kept: true });
  }
}

describe('required words of the lexicon patterns', () => {
  test('when a labelled message matches an entry, then the pre-check keeps that entry', () => {
    for (const row of labelled as { text: string; subject?: string }[]) assertNeverDropsAMatch(normalise(`${row.subject ?? ''}.\n${row.text}`));
  });

  test('when random texts are built from the lexicons\' words, then no matching entry is dropped', () => {
    const word = fc.constantFrom(...vocabulary);
    const separator = fc.constantFrom(' ', ' ', ' ', ', ', '. ', "'", '-');
    const text = fc.array(fc.tuple(word, separator), { minLength: 1, maxLength: 12 }).map((parts) => parts.map(([w, s]) => w + s).join(''));
    fc.assert(fc.property(text, (t) => assertNeverDropsAMatch(t)), { numRuns: 2000 });
  });

  test('when the required words are missing, then the entry is not scanned', () => {
    const requirement = requirementOf('(?:file|lodge) a complaint');
    expect(satisfied(requirement, wordPrefixes('i want to lodge a complaint'))).toBe(true);
    expect(satisfied(requirement, wordPrefixes('my parcel is late'))).toBe(false);
  });
});
