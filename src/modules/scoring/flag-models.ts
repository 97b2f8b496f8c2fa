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
 * One table for every model, so that a text costs one word look-up per word and a number look-up per pair of known
 * words, whatever the number of models. Words take the first indices. Every word of a pair is in the table: a pair a
 * model kept was seen twice, so each of its words was too. The files are read here and not imported, so that once
 * the table is built their 65,000 parsed weights are garbage rather than 4.5 MB held for the life of the process
 * (tsconfig.build.json copies them into dist/).
 */
function buildTable() {
  const files = MODEL_FLAGS.map((flag) => JSON.parse(readFileSync(join(__dirname, 'lexicons', 'flag-models', `${flag}.json`), 'utf8')) as ModelFile);
  const vocabulary = new Set<string>();
  for (const file of files) for (const token of Object.keys(file.weights)) vocabulary.add(token);
  const tokens = [...vocabulary].sort((a, b) => Number(a.includes(' ')) - Number(b.includes(' ')));
  const words = tokens.filter((token) => !token.includes(' '));
  if (words.length >= PAIR_KEY) throw new Error(`The flag models hold ${words.length} words; pair keys index at most ${PAIR_KEY}`);
  const unreadable = words.find((word) => modelWords(word).join(' ') !== word);
  if (unreadable !== undefined) throw new Error(`The flag models hold "${unreadable}", which modelWords never yields`);

  const wordIndex = new Map(words.map((word, index) => [word, index]));
  const pairs: [number, number][] = [];
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
    if (space !== -1) pairs.push([wordIndex.get(token.slice(0, space))! * PAIR_KEY + wordIndex.get(token.slice(space + 1))!, index]);
  });
  return { priors: files.map((file) => file.prior), words: new WordTable(words), pairs: new PairTable(pairs), weights, knownBy, size: tokens.length };
}

/**
 * The models' words by a hash of their characters, read straight from the text: a `Map` keyed by string needs
 * each word cut out of the text as a new string first, and those look-ups and the garbage they left were half
 * of the models' time. Open addressing, at most a quarter full; a hit is confirmed character by character.
 */
class WordTable {
  private readonly mask: number;
  /**
   * Per slot, SLOT numbers: the word's index (-1 in an empty slot), its hash, where its characters begin in
   * `characters` and its length; side by side, so that a probe costs one cache miss and not four.
   */
  private readonly slots: Int32Array;
  private readonly characters: Uint8Array;

  constructor(words: readonly string[]) {
    let slots = 1;
    while (slots < 4 * words.length) slots *= 2;
    this.mask = slots - 1;
    this.slots = new Int32Array(slots * SLOT);
    for (let slot = 0; slot < slots; slot++) this.slots[slot * SLOT] = -1;
    // modelWords yields only [a-z0-9'!?], so a byte per character holds every word.
    this.characters = Uint8Array.from(words.join(''), (c) => c.charCodeAt(0));
    let at = 0;
    words.forEach((word, index) => {
      let hash = HASH_SEED;
      for (let i = 0; i < word.length; i++) hash = hashStep(hash, word.charCodeAt(i));
      let slot = hash & this.mask;
      while (this.slots[slot * SLOT] !== -1) slot = (slot + 1) & this.mask;
      this.slots.set([index, hash, at, word.length], slot * SLOT);
      at += word.length;
    });
  }

  /** The index of the word `text` holds from `start` to `end`, whose characters hash to `hash`, or -1. */
  find(text: string, start: number, end: number, hash: number): number {
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const base = slot * SLOT;
      const index = this.slots[base];
      if (index === -1) return -1;
      if (this.slots[base + 1] !== hash || this.slots[base + 3] !== end - start) continue;
      let i = start;
      for (let at = this.slots[base + 2]; i < end && text.charCodeAt(i) === this.characters[at]; i++, at++);
      if (i === end) return index;
    }
  }

  /** The index of a whole word, or -1. */
  index(word: string): number {
    let hash = HASH_SEED;
    for (let i = 0; i < word.length; i++) hash = hashStep(hash, word.charCodeAt(i));
    return this.find(word, 0, word.length, hash);
  }
}

/** Numbers per slot of a WordTable. */
const SLOT = 4;

/** FNV-1a, 32 bits. */
const HASH_SEED = 0x811c9dc5 | 0;
const hashStep = (hash: number, code: number) => Math.imul(hash ^ code, 0x01000193);

/** Pair indices by pair key, open addressing at most a quarter full: a `Map`'s number hashing cost as much as the words' look-ups. */
class PairTable {
  private readonly mask: number;
  /** Per slot, the pair's key (-1 in an empty slot) and then its index, side by side for one cache miss per probe. */
  private readonly slots: Int32Array;

  constructor(pairs: readonly [key: number, index: number][]) {
    let slots = 1;
    while (slots < 4 * pairs.length) slots *= 2;
    this.mask = slots - 1;
    this.slots = new Int32Array(slots * 2).fill(-1);
    for (const [key, index] of pairs) {
      let slot = this.slotOf(key);
      while (this.slots[slot * 2] !== -1) slot = (slot + 1) & this.mask;
      this.slots[slot * 2] = key;
      this.slots[slot * 2 + 1] = index;
    }
  }

  private slotOf(key: number): number {
    return (Math.imul(key, 0x9e3779b1) >>> 0) & this.mask;
  }

  /** The index of the pair with this key, or -1. */
  find(key: number): number {
    for (let slot = this.slotOf(key); ; slot = (slot + 1) & this.mask) {
      const stored = this.slots[slot * 2];
      if (stored === key) return this.slots[slot * 2 + 1];
      if (stored === -1) return -1;
    }
  }
}

const { priors, words, pairs, weights, knownBy, size } = buildTable();
const ZERO = words.index('0');
const EXCLAMATION = words.index('!');
const QUESTION = words.index('?');
/** Which call last counted each token: presence only, so a token counts once per text. */
const countedIn = new Uint32Array(size);
let call = 0;
const sums = new Float64Array(MODELS);
let known = 0;
let previous = -1;

/** Counts a word of the text (-1: one no model knows) and the pair it ends. */
function count(word: number): void {
  if (word === -1) {
    previous = -1;
    return;
  }
  add(word);
  if (previous !== -1) {
    const pair = pairs.find(previous * PAIR_KEY + word);
    if (pair !== -1) add(pair);
  }
  previous = word;
}

function add(token: number): void {
  if (countedIn[token] === call) return;
  countedIn[token] = call;
  known |= knownBy[token];
  for (let m = 0, at = token * MODELS; m < MODELS; m++, at++) sums[m] += weights[at];
}

const A = 97;
const Z = 122;
const APOSTROPHE = 39;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const EXCLAMATION_MARK = 33;
const QUESTION_MARK = 63;

/**
 * Each model's naive Bayes log2 odds that a message carries its flag rather than being a routine question, in
 * the order of `MODEL_FLAGS`: the class prior plus the weight of each distinct token of `modelTokens` the model
 * knows, or 0 when it knows none (as the library's `computeOdds` has it). The weights are what
 * bench/train-flag-models.ts exported. The text is read in one pass that splits it as `modelWords` does (a run
 * of digits is the word "0"; "!" and "?" are words) without cutting it into strings.
 */
export function flagModelOdds(normalised: string): number[] {
  if (call === 0xffffffff) {
    countedIn.fill(0);
    call = 0;
  }
  call++;
  sums.fill(0);
  known = 0;
  previous = -1;
  let start = -1;
  let hash = 0;
  let inDigits = false;
  // One step past the end closes the last word.
  for (let i = 0; i <= normalised.length; i++) {
    const c = i < normalised.length ? normalised.charCodeAt(i) : 0;
    if ((c >= A && c <= Z) || c === APOSTROPHE) {
      if (inDigits) count(ZERO);
      inDigits = false;
      if (start === -1) {
        start = i;
        hash = HASH_SEED;
      }
      hash = hashStep(hash, c);
      continue;
    }
    if (start !== -1) count(words.find(normalised, start, i, hash));
    start = -1;
    if (c >= DIGIT_0 && c <= DIGIT_9) {
      inDigits = true;
      continue;
    }
    if (inDigits) count(ZERO);
    inDigits = false;
    if (c === EXCLAMATION_MARK) count(EXCLAMATION);
    else if (c === QUESTION_MARK) count(QUESTION);
  }
  const odds = new Array<number>(MODELS);
  for (let m = 0; m < MODELS; m++) odds[m] = known & (1 << m) ? sums[m] + priors[m] : 0;
  return odds;
}
