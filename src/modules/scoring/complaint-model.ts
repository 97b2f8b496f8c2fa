import model from './lexicons/complaint-model.json';

/**
 * Log2 odds at or above which a message reads as a complaint: 256 to 1. Out of fold it read no routine row
 * of the training sets as a complaint, and on the held-out sets it left the AI's share of routine questions
 * unchanged while finding about two in three of the complaints the phrase lexicon misses (docs/scoring.md,
 * "The complaint model").
 */
export const COMPLAINT_ODDS_THRESHOLD = 8;

/** The languages the model was trained on, and `und` (lines too short to tell, mostly in these); any other text is left to the lexicon. */
export const COMPLAINT_MODEL_LANGUAGES: ReadonlySet<string> = new Set(['en', 'es', 'fr', 'de', 'pt', 'und']);

/**
 * Words by index and pairs by their two words' indices, so that a text costs one string lookup per word
 * and a number lookup per pair of known words (strings as keys for both were most of the model's time).
 * Every word of a pair is in the file: a pair seen twice means each of its words was seen at least twice.
 */
const wordIndex = new Map<string, number>();
const pairIndex = new Map<number, number>();
const entries = Object.entries(model.weights as Record<string, number>);
const tokenWeights = new Float64Array(entries.length);
/** Which call last counted each token: presence only, so a token counts once per text. */
const countedIn = new Uint32Array(entries.length);
const PAIR_KEY = 0x10000;
entries.forEach(([token, weight], index) => {
  tokenWeights[index] = weight;
  if (!token.includes(' ')) wordIndex.set(token, index);
});
entries.forEach(([token], index) => {
  const space = token.indexOf(' ');
  if (space === -1) return;
  pairIndex.set(wordIndex.get(token.slice(0, space))! * PAIR_KEY + wordIndex.get(token.slice(space + 1))!, index);
});
if (entries.length >= PAIR_KEY) throw new Error('The complaint model holds more tokens than a pair key can index');
let calls = 0;
const WORD = /[a-z0-9']+|[!?]/g;
const DIGITS = /\d+/g;
const wordsOf = (normalised: string) => normalised.replace(DIGITS, ' 0 ').match(WORD) ?? [];

/**
 * What the model reads: each distinct word of the normalised text (digits as one "0", "!" and "?" as
 * words) and each distinct pair of neighbouring words. Presence only, as it was trained.
 */
export function complaintTokens(normalised: string): string[] {
  const words = wordsOf(normalised);
  const tokens = new Set(words);
  for (let i = 1; i < words.length; i++) tokens.add(`${words[i - 1]} ${words[i]}`);
  return [...tokens];
}

/**
 * The naive Bayes log2 odds that a message is a complaint rather than a routine question, from the
 * weights `bench/train-complaint-model.ts` exported from `wink-naive-bayes-text-classifier`: the class
 * prior plus each known token's log-likelihood ratio (what the library's `computeOdds` sums), or 0 when
 * no token is known.
 */
export function complaintOdds(normalised: string): number {
  const call = (calls = (calls % 0xffffffff) + 1);
  let odds = 0;
  let known = false;
  let previous = -1;
  for (const word of wordsOf(normalised)) {
    const index = wordIndex.get(word);
    if (index === undefined) {
      previous = -1;
      continue;
    }
    if (countedIn[index] !== call) {
      countedIn[index] = call;
      odds += tokenWeights[index];
      known = true;
    }
    const pair = previous === -1 ? undefined : pairIndex.get(previous * PAIR_KEY + index);
    if (pair !== undefined && countedIn[pair] !== call) {
      countedIn[pair] = call;
      odds += tokenWeights[pair];
    }
    previous = index;
  }
  return known ? odds + model.prior : 0;
}
