import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_FLAGS, modelWords } from './flag-model-tokens';

export { MODEL_FLAGS, MODEL_THRESHOLDS, type ModelFlag } from './flag-model-tokens';

/** The languages the models were trained on, and `und` (lines too short to tell, mostly in these); any other text is left to the lexicon. */
export const FLAG_MODEL_LANGUAGES: ReadonlySet<string> = new Set(['en', 'es', 'fr', 'de', 'pt', 'und']);

interface ModelFile {
  prior: number;
  weights: Record<string, number>;
}
const MODELS = MODEL_FLAGS.length;
/**
 * A pair's key is its first word's index times this plus its second's: a small integer while word indices stay
 * below it.
 */
const PAIR_KEY = 0x8000;

/**
 * One table for every model, so that a text costs one string lookup per word and a number lookup per pair of
 * known words, whatever the number of models (strings as keys for both were most of the first model's time).
 * Words take the first indices. Every word of a pair is in the table: a pair a model kept was seen twice, so
 * each of its words was too. The files are read here and not imported, so that once the table is built their
 * 65,000 parsed weights are garbage rather than 4.5 MB held for the life of the process (tsconfig.build.json
 * copies them into dist/).
 */
function buildTable() {
  const files = MODEL_FLAGS.map((flag) => JSON.parse(readFileSync(join(__dirname, 'lexicons', 'flag-models', `${flag}.json`), 'utf8')) as ModelFile);
  const vocabulary = new Set<string>();
  for (const file of files) for (const token of Object.keys(file.weights)) vocabulary.add(token);
  const tokens = [...vocabulary].sort((a, b) => Number(a.includes(' ')) - Number(b.includes(' ')));
  const wordCount = tokens.filter((token) => !token.includes(' ')).length;
  if (wordCount >= PAIR_KEY) throw new Error(`The flag models hold ${wordCount} words; pair keys index at most ${PAIR_KEY}`);

  const wordIndex = new Map<string, number>();
  const pairIndex = new Map<number, number>();
  /** Row-major: token t's weight in model m is at t * MODELS + m, 0 where the model does not know the token. */
  const weights = new Float64Array(tokens.length * MODELS);
  /** Bit m is set where model m knows the token: a model that knows no token of a text gives odds 0. */
  const knownBy = new Uint8Array(tokens.length);
  tokens.forEach((token, index) => {
    files.forEach((file, m) => {
      if (!Object.hasOwn(file.weights, token)) return;
      weights[index * MODELS + m] = file.weights[token];
      knownBy[index] |= 1 << m;
    });
    const space = token.indexOf(' ');
    if (space === -1) wordIndex.set(token, index);
    else pairIndex.set(wordIndex.get(token.slice(0, space))! * PAIR_KEY + wordIndex.get(token.slice(space + 1))!, index);
  });
  return { priors: files.map((file) => file.prior), wordIndex, pairIndex, weights, knownBy, size: tokens.length };
}
const { priors, wordIndex, pairIndex, weights, knownBy, size } = buildTable();
/** Which call last counted each token: presence only, so a token counts once per text. */
const countedIn = new Uint32Array(size);
let calls = 0;
const sums = new Float64Array(MODELS);

/**
 * Each model's naive Bayes log2 odds that a message carries its flag rather than being a routine question, in
 * the order of `MODEL_FLAGS`: the class prior plus the weight of each distinct token of `modelTokens` the model
 * knows, or 0 when it knows none (as the library's `computeOdds` has it). The weights are what
 * bench/train-flag-models.ts exported.
 */
export function flagModelOdds(normalised: string): number[] {
  if (calls === 0xffffffff) {
    countedIn.fill(0);
    calls = 0;
  }
  const call = ++calls;
  sums.fill(0);
  let known = 0;
  let previous = -1;
  for (const word of modelWords(normalised)) {
    const index = wordIndex.get(word);
    if (index === undefined) {
      previous = -1;
      continue;
    }
    if (countedIn[index] !== call) {
      countedIn[index] = call;
      known |= knownBy[index];
      for (let m = 0, at = index * MODELS; m < MODELS; m++, at++) sums[m] += weights[at];
    }
    const pair = previous === -1 ? undefined : pairIndex.get(previous * PAIR_KEY + index);
    if (pair !== undefined && countedIn[pair] !== call) {
      countedIn[pair] = call;
      known |= knownBy[pair];
      for (let m = 0, at = pair * MODELS; m < MODELS; m++, at++) sums[m] += weights[at];
    }
    previous = index;
  }
  const odds = new Array<number>(MODELS);
  for (let m = 0; m < MODELS; m++) odds[m] = known & (1 << m) ? sums[m] + priors[m] : 0;
  return odds;
}
