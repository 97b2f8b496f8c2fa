import levenshtein from 'damerau-levenshtein';

/** Shorter words have too many neighbours one typo away ("tall" and "talk" are; "cat" and "car"). */
const MIN_WORD_LENGTH = 4;
const WORD = /[a-z][a-z']{3,}/g;

/**
 * Corrects the words of a normalised text that are one typo (a letter missing, extra, wrong, or two
 * neighbours swapped) from exactly one word of a vocabulary: "tlak to a real persn" becomes "talk to a real
 * person". Candidates are found through one-letter deletions, as in SymSpell: two words one such edit apart
 * always share the one or the other, or one of their deletions, so a text word needs a handful of lookups
 * rather than a comparison with every vocabulary word; the library then confirms the distance.
 */
export class Speller {
  private readonly vocabulary: ReadonlySet<string>;
  private readonly byDeletion = new Map<string, string[]>();

  constructor(words: Iterable<string>) {
    this.vocabulary = new Set([...words].filter((w) => w.length >= MIN_WORD_LENGTH));
    for (const word of this.vocabulary) for (const key of [word, ...deletions(word)]) this.add(key, word);
  }

  /** The text with its correctable words corrected; the same string when there were none. */
  correct(text: string): string {
    return text.replace(WORD, (word) => this.correctWord(word) ?? word);
  }

  private correctWord(word: string): string | undefined {
    if (this.vocabulary.has(word)) return undefined;
    let found: string | undefined;
    for (const key of [word, ...deletions(word)]) {
      for (const candidate of this.byDeletion.get(key) ?? []) {
        if (candidate === found || levenshtein(word, candidate).steps !== 1) continue;
        // Two vocabulary words one typo away: guessing between them could invent a request.
        if (found !== undefined) return undefined;
        found = candidate;
      }
    }
    return found;
  }

  private add(key: string, word: string): void {
    const words = this.byDeletion.get(key);
    if (!words) this.byDeletion.set(key, [word]);
    else if (!words.includes(word)) words.push(word);
  }
}

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** The literal words of regex sources ("(?:talk|speak) (?:to|with) {PERSON}" gives talk, speak, with). */
export function wordsOfPatterns(sources: readonly string[]): Set<string> {
  const words = new Set<string>();
  for (const source of sources) {
    for (const word of source.replace(/\\[a-zA-Z]/g, ' ').match(/[a-z][a-z']*/g) ?? []) words.add(word);
  }
  return words;
}
