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
 * A token's weight, and the call that last counted it: presence only, so each token counts once per text,
 * told by the call number rather than by a set of the text's tokens (that set, and the pair strings it
 * needed, were most of the model's time).
 */
interface Weight {
  weight: number;
  countedIn: number;
}
const wordWeights = new Map<string, Weight>();
/** Pairs by their first word, so that a pair is looked up without building its string. */
const pairWeights = new Map<string, Map<string, Weight>>();
for (const [token, weight] of Object.entries(model.weights as Record<string, number>)) {
  const space = token.indexOf(' ');
  if (space === -1) {
    wordWeights.set(token, { weight, countedIn: 0 });
    continue;
  }
  const first = token.slice(0, space);
  let seconds = pairWeights.get(first);
  if (!seconds) pairWeights.set(first, (seconds = new Map()));
  seconds.set(token.slice(space + 1), { weight, countedIn: 0 });
}
let calls = 0;
const WORD = /[a-z0-9']+|[!?]/g;
const DIGITS = /\d+/g;

/**
 * What the model reads: each distinct word of the normalised text (digits as one "0", "!" and "?" as
 * words) and each distinct pair of neighbouring words. Presence only, as it was trained.
 */
export function complaintTokens(normalised: string): string[] {
  const words = normalised.replace(DIGITS, ' 0 ').match(WORD) ?? [];
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
  const words = normalised.replace(DIGITS, ' 0 ').match(WORD) ?? [];
  const call = ++calls;
  let odds = 0;
  let known = false;
  let seconds: Map<string, Weight> | undefined;
  for (const word of words) {
    const single = wordWeights.get(word);
    if (single !== undefined && single.countedIn !== call) {
      single.countedIn = call;
      odds += single.weight;
      known = true;
    }
    const pair = seconds?.get(word);
    if (pair !== undefined && pair.countedIn !== call) {
      pair.countedIn = call;
      odds += pair.weight;
      known = true;
    }
    seconds = pairWeights.get(word);
  }
  return known ? odds + model.prior : 0;
}
