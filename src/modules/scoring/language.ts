import { detectAll } from 'tinyld';
import stopwords from './lexicons/stopwords.json';
import { fold } from './normalise';

/**
 * Candidates tinyld may answer with: the five the AI serves plus the ones customers most often write
 * in otherwise. A short list keeps short English from being read as Frisian or Esperanto, while
 * unsupported languages are still recognised (and so routed to people).
 */
const CANDIDATES = ['en', 'es', 'fr', 'de', 'pt', 'it', 'nl', 'pl', 'sv', 'da', 'tr', 'ru', 'uk', 'ar', 'he', 'hi', 'ja', 'zh', 'ko', 'th', 'el'];
/**
 * Letters that none of the served languages write: Czech "ř", Romanian "ț", Hungarian "ő"… A text with
 * several is read with the languages that use them among the candidates too; without them, tinyld took
 * Czech for German and Romanian for Portuguese, and the AI answered. Only then: in the whole list, Romanian
 * and Hungarian drew short English and CSV questions.
 */
const CENTRAL_EUROPEAN_LETTERS = /[ěřůťďňľĺŕőűășțşţăłąęńśźżćčšžđ]/gi;
const CENTRAL_EUROPEAN_CANDIDATES = [...CANDIDATES, 'cs', 'sk', 'hu', 'ro', 'hr', 'sl'];
/** Fewer letters than this in a Latin script is too little to tell ("hi", "agent please"). */
const MIN_LATIN_LETTERS = 20;
/** Scripts where a handful of characters already identify the language. */
const NON_LATIN = /[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u097f\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;
const LATIN_LETTER = /[a-zà-öø-ÿ]/i;
/**
 * Which UTF-16 code units each class matches, read once from the regexes themselves: counting with a
 * table is exact and costs a fraction of `match()`, which builds an array of one-letter strings.
 */
const NON_LATIN_UNIT = 1;
const LATIN_UNIT = 2;
const UNIT_CLASS = new Uint8Array(0x10000);
const CHUNK = 0x1000;
let everyUnit = '';
for (let from = 0; from < 0x10000; from += CHUNK) everyUnit += String.fromCharCode(...Array.from({ length: CHUNK }, (_, i) => from + i));
for (const [regex, unitClass] of [
  [NON_LATIN, NON_LATIN_UNIT],
  [LATIN_LETTER, LATIN_UNIT],
] as const) {
  // Runs rather than single units: a few hundred matches instead of tens of thousands at start-up.
  for (const m of everyUnit.matchAll(new RegExp(`${regex.source}+`, `${regex.flags}g`))) {
    for (let unit = m.index; unit < m.index + m[0].length; unit++) UNIT_CLASS[unit] |= unitClass;
  }
}
/** tinyld's cost grows with text length; the opening of a message is enough to tell its language. */
const SAMPLE_CHARS = 140;
/** Function words in the first few sentences settle the language as well as the whole text would. */
const STOPWORD_SAMPLE_CHARS = 400;
const URLS_AND_CODES = /\bhttps?:\/\/\S+|[\w.+-]+@[\w.-]+|\b\w*\d[\w-]*/g;
/**
 * The same, for text without "@": the address part tries every run of word characters at every
 * position, which is most of the cost, and cannot match without one.
 */
const URLS_AND_CODES_NO_AT = /\bhttps?:\/\/\S+|\b\w*\d[\w-]*/g;
/** Without "@", "http" or a digit neither regex can match, and the opening stays as it is. */
const DIGIT = /\d/;

/**
 * ISO 639-1 code of the text's language, or 'und' when it is too short or unclear to tell.
 * `folded` is `fold(text)`, which the caller already has.
 */
export function detectLanguage(text: string, folded = fold(text)): string {
  const opening = text.slice(0, STOPWORD_SAMPLE_CHARS);
  const cleaned = opening.includes('@')
    ? opening.replace(URLS_AND_CODES, ' ')
    : DIGIT.test(opening) || opening.includes('http')
      ? opening.replace(URLS_AND_CODES_NO_AT, ' ')
      : opening;
  let nonLatin = 0;
  let latin = 0;
  let latin1 = true;
  for (let i = 0; i < cleaned.length; i++) {
    const code = cleaned.charCodeAt(i);
    const unitClass = UNIT_CLASS[code];
    if (unitClass & NON_LATIN_UNIT) nonLatin++;
    if (unitClass & LATIN_UNIT) latin++;
    if (code > 0xff) latin1 = false;
  }
  if (nonLatin < 2 && latin < MIN_LATIN_LETTERS) return 'und';
  // Latin-1 folds one character at a time, so then the folded text begins with the folded opening.
  const tally = nonLatin >= 2 ? undefined : cleaned === opening && latin1 ? stopwordTally(folded, opening.length) : stopwordTally(fold(cleaned), cleaned.length);
  const fast = tally && servedWinner(tally, MIN_HITS);
  const foreignLetters = latin1 ? 0 : (cleaned.match(CENTRAL_EUROPEAN_LETTERS)?.length ?? 0);
  // Three outweigh the function words Romanian shares with Portuguese ("de", "a", "o"); two may be a place
  // in an English sentence ("my order to Łódź"), which its function words then settle.
  if (foreignLetters >= 3 || (foreignLetters >= 2 && !fast)) {
    return detectAll(sample(cleaned), { only: CENTRAL_EUROPEAN_CANDIDATES })[0]?.lang ?? 'und';
  }
  if (fast) return fast;
  const best = detectAll(sample(cleaned), { only: CANDIDATES })[0];
  if (!best) return 'und';
  // An unsure guess of a language the AI does not serve ("i wanna open a user account" read as Dutch at
  // 0.09) yields to a served one that two or more function words point to: the guess alone would send a
  // routine question to a person. An unsure served language stays, since an English subject's few function
  // words would outvote a Spanish body's.
  if (tally && best.accuracy < SURE && !FAST_LANGUAGES.has(best.lang)) return servedWinner(tally, WEAK_MIN_HITS) ?? best.lang;
  return best.lang;
}

function sample(text: string): string {
  const compact = text.replace(/\s+/g, ' ').trim();
  if (compact.length <= SAMPLE_CHARS) return compact;
  const cut = compact.lastIndexOf(' ', SAMPLE_CHARS);
  return compact.slice(0, cut > SAMPLE_CHARS / 2 ? cut : SAMPLE_CHARS);
}

const STOPWORD_CODES = Object.keys(stopwords).filter((code) => code !== '_comment');
const FAST_LANGUAGES = new Set(['en', 'es', 'fr', 'de', 'pt']);
/** Hits the winner needs, and how far ahead of the runner-up, before tinyld is skipped. */
const MIN_HITS = 4;
const MIN_LEAD = 1.5;
/** tinyld's confidence below which its answer is a guess; it says 0.85-1 for the languages it knows. */
const SURE = 0.5;
const WEAK_MIN_HITS = 2;
const APOSTROPHE = 39;
const LOWER_A = 97;
const LOWER_Z = 122;

/**
 * Each function word with the languages (indices into STOPWORD_CODES) that list it, in an open-addressing
 * table by the hash of its letters: the opening's words are looked up where they stand, without cutting
 * each out as a string and hashing it again for a Map.
 */
const SLOTS = 2048;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const slotWords: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);
const slotLanguages: number[][] = Array.from({ length: SLOTS }, () => []);

function slotOf(text: string, start: number, end: number, hash: number): number {
  let slot = hash & (SLOTS - 1);
  for (;;) {
    const word = slotWords[slot];
    if (word === undefined || (word.length === end - start && text.startsWith(word, start))) return slot;
    slot = (slot + 1) & (SLOTS - 1);
  }
}

STOPWORD_CODES.forEach((code, index) => {
  for (const word of new Set((stopwords as unknown as Record<string, string[]>)[code])) {
    let hash = FNV_OFFSET;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
    const slot = slotOf(word, 0, word.length, hash);
    slotWords[slot] = word;
    slotLanguages[slot].push(index);
  }
});

/** The language whose function words are most frequent, how many it has, and the runner-up's count. */
interface StopwordTally {
  best: string;
  bestHits: number;
  second: number;
}

/** Function words in the first `length` characters of the folded text (its words: runs of a-z and apostrophes). */
function stopwordTally(folded: string, length: number): StopwordTally {
  const hitsOf = new Array<number>(STOPWORD_CODES.length).fill(0);
  let start = -1;
  let hash = FNV_OFFSET;
  for (let i = 0; i <= length; i++) {
    const c = i < length ? folded.charCodeAt(i) : 0;
    if ((c >= LOWER_A && c <= LOWER_Z) || c === APOSTROPHE) {
      if (start === -1) {
        start = i;
        hash = FNV_OFFSET;
      }
      hash = Math.imul(hash ^ c, FNV_PRIME);
    } else if (start !== -1) {
      for (const index of slotLanguages[slotOf(folded, start, i, hash)]) hitsOf[index]++;
      start = -1;
    }
  }
  let best = '';
  let bestHits = 0;
  let second = 0;
  STOPWORD_CODES.forEach((code, index) => {
    const hits = hitsOf[index];
    if (hits > bestHits) {
      second = bestHits;
      bestHits = hits;
      best = code;
    } else if (hits > second) second = hits;
  });
  return { best, bestHits, second };
}

/** A served language that clearly leads with at least `minHits` function words, or undefined when unclear. */
function servedWinner({ best, bestHits, second }: StopwordTally, minHits: number): string | undefined {
  return FAST_LANGUAGES.has(best) && bestHits >= minHits && bestHits >= MIN_LEAD * second ? best : undefined;
}
