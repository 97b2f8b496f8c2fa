import model from './lexicons/complaint-model.json';
import { complaintWords } from './complaint-tokens';

export { COMPLAINT_ODDS_THRESHOLD } from './complaint-tokens';

/** The languages the model was trained on, and `und` (lines too short to tell, mostly in these); any other text is left to the lexicon. */
export const COMPLAINT_MODEL_LANGUAGES: ReadonlySet<string> = new Set(['en', 'es', 'fr', 'de', 'pt', 'und']);

const entries = Object.entries(model.weights as Record<string, number>);
/** A pair's key is its first word's index times this plus its second's: a small integer while indices stay below it. */
const PAIR_KEY = 0x8000;
if (entries.length >= PAIR_KEY) throw new Error(`The complaint model holds ${entries.length} tokens; pair keys index at most ${PAIR_KEY}`);

/**
 * Words by index and pairs by their two words' indices, so that a text costs one string lookup per word
 * and a number lookup per pair of known words (strings as keys for both were most of the model's time).
 * Every word of a pair is in the file: a pair seen twice means each of its words was seen at least twice.
 */
const wordIndex = new Map<string, number>();
const pairIndex = new Map<number, number>();
const tokenWeights = new Float64Array(entries.length);
/** Which call last counted each token: presence only, so a token counts once per text. */
const countedIn = new Uint32Array(entries.length);
entries.forEach(([token, weight], index) => {
  tokenWeights[index] = weight;
  if (!token.includes(' ')) wordIndex.set(token, index);
});
entries.forEach(([token], index) => {
  const space = token.indexOf(' ');
  if (space !== -1) pairIndex.set(wordIndex.get(token.slice(0, space))! * PAIR_KEY + wordIndex.get(token.slice(space + 1))!, index);
});
let calls = 0;

/**
 * The naive Bayes log2 odds that a message is a complaint rather than a routine question: the class prior
 * plus the weight of each distinct token of `complaintTokens` the model knows, or 0 when it knows none
 * (as the library's `computeOdds` has it). The weights are what bench/train-complaint-model.ts exported.
 */
export function complaintOdds(normalised: string): number {
  if (calls === 0xffffffff) {
    countedIn.fill(0);
    calls = 0;
  }
  const call = ++calls;
  let odds = 0;
  let known = false;
  let previous = -1;
  for (const word of complaintWords(normalised)) {
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
