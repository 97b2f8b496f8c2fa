import levenshtein from 'damerau-levenshtein';

/** Shorter words have too many neighbours one typo away ("tall" and "talk" are; "cat" and "car"). */
const MIN_WORD_LENGTH = 4;
const WORD = /[a-z][a-z']{3,}/g;
/**
 * How many words' corrections are remembered. Customers write the same few thousand words over and over,
 * and working out an unknown word's costs a new string per letter; the memory is cleared when full, so a
 * stream of unusual words cannot grow it.
 */
const REMEMBERED_WORDS = 20_000;
/**
 * Longer words are worked out every time: V8 may keep a word of 13 characters or more as a slice of the
 * message it was cut from, and remembering it would keep the whole message in memory.
 */
const REMEMBERED_MAX_LENGTH = 12;

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
  /** Each word's correction as worked out before; '' for none. */
  private readonly remembered = new Map<string, string>();

  constructor(
    words: Iterable<string>,
    private readonly rememberedWords = REMEMBERED_WORDS,
  ) {
    this.vocabulary = new Set([...words].filter((w) => w.length >= MIN_WORD_LENGTH));
    for (const word of this.vocabulary) for (const key of [word, ...deletions(word)]) this.add(key, word);
  }

  /** The text with its correctable words corrected; the same string when there were none. */
  correct(text: string): string {
    return text.replace(WORD, (word) => this.correctionOf(word) || word);
  }

  private correctionOf(word: string): string {
    const remembered = this.remembered.get(word);
    if (remembered !== undefined) return remembered;
    const correction = this.correctWord(word) ?? '';
    if (word.length <= REMEMBERED_MAX_LENGTH) {
      if (this.remembered.size >= this.rememberedWords) this.remembered.clear();
      this.remembered.set(word, correction);
    }
    return correction;
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
