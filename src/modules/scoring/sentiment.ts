import Sentiment from 'sentiment';
import { fold } from './normalise';
import { FILLER, scoredContext, wordBitmap } from './sentiment-context';
import afinnEn from 'sentiment/languages/en/labels.json';
import enRules from './lexicons/sentiment/en.json';
import esRules from './lexicons/sentiment/es.json';
import frRules from './lexicons/sentiment/fr.json';
import deRules from './lexicons/sentiment/de.json';
import ptRules from './lexicons/sentiment/pt.json';
import emoji from './lexicons/sentiment/emoji.json';

interface SentimentRules {
  labels: Record<string, number>;
  negators: string[];
  boosters: string[];
  dampeners: string[];
  contrasts: string[];
}

/** VADER's constants: how far a negator flips, a booster lifts, caps and "!" push a score. */
const NEGATION_SCALAR = -0.74;
const BOOST_NEAR = 1.3;
const BOOST_FAR = 1.15;
const DAMPEN = 0.6;
const CAPS_INCREMENT = 0.733;
const EXCLAMATION_INCREMENT = 0.292;
const MAX_EXCLAMATIONS = 4;
/** Words before "but" count half, words after it one and a half (VADER's contrast rule). */
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
/** VADER's alpha: x / sqrt(x² + 15) maps an unbounded sum into (-1, 1). */
const NORMALISATION_ALPHA = 15;
const NEGATION_SCOPE = 3;
/** A token is a word when it starts with a-z; anything else (an emoji) carries its own feeling. */
const LOWER_A = 97;
const LOWER_Z = 122;

/**
 * The library's per-token hook sees the token array and a cursor; negation, boosters and contrast
 * depend only on that context, so they live here. The contrast position is cached per token array
 * because the library calls the hook once per scored token of the same array.
 */
function makeStrategy(rules: SentimentRules) {
  const negators = new Set(rules.negators);
  const boosters = new Set(rules.boosters);
  const dampeners = new Set(rules.dampeners);
  const contrasts = new Set(rules.contrasts);
  let cachedTokens: string[] | null = null;
  let contrastAt = -1;
  return {
    apply(tokens: string[], cursor: number, tokenScore: number): number {
      if (tokens !== cachedTokens) {
        cachedTokens = tokens;
        // The last contrast word. The library now sees only a few dozen tokens, which one set lookup each,
        // from the end, reads faster than a native search of them per contrast word.
        contrastAt = tokens.length - 1;
        while (contrastAt >= 0 && !contrasts.has(tokens[contrastAt])) contrastAt--;
      }
      let score = tokenScore;
      if (contrastAt >= 0) score *= cursor < contrastAt ? BEFORE_CONTRAST : cursor > contrastAt ? AFTER_CONTRAST : 1;
      // An emoji carries its own feeling; "not happy 😡" is not a happy emoji.
      const first = tokens[cursor].charCodeAt(0);
      if (!(first >= LOWER_A && first <= LOWER_Z)) return score;
      const before1 = tokens[cursor - 1];
      const before2 = tokens[cursor - 2];
      if (before1 !== undefined && boosters.has(before1)) score *= BOOST_NEAR;
      else if (before2 !== undefined && boosters.has(before2)) score *= BOOST_FAR;
      if (before1 !== undefined && dampeners.has(before1)) score *= DAMPEN;
      for (let i = cursor - 1; i >= 0 && i >= cursor - NEGATION_SCOPE; i--) {
        if (contrasts.has(tokens[i])) break;
        if (negators.has(tokens[i])) {
          score *= NEGATION_SCALAR;
          break;
        }
      }
      return score;
    },
  };
}

const analyser = new Sentiment();

interface Registered {
  key: string;
  /** The labels and contrast words: the tokens `scoredContext` always keeps. */
  anchors: Uint8Array;
  /** The rule words, which the strategy reads before a labelled token. */
  rules: Uint8Array;
}

const REGISTERED: Record<string, Registered> = {};
const emojiLabels = emoji.labels as Record<string, number>;
for (const [code, rules, base] of [
  ['en', enRules, afinnEn],
  ['es', esRules, {}],
  ['fr', frRules, {}],
  ['de', deRules, {}],
  ['pt', ptRules, {}],
] as [string, SentimentRules, Record<string, number>][]) {
  // Registered under a private key so the library's own 'en' stays untouched for any other user.
  const key = `handoff-${code}`;
  const labels = { ...base, ...rules.labels };
  analyser.registerLanguage(key, { labels, scoringStrategy: makeStrategy(rules) });
  // Registering merges the library's emoji ranking over our labels; our emoji weights must win.
  Object.assign(labels, emojiLabels);
  const ruleWords = [...rules.negators, ...rules.boosters, ...rules.dampeners, ...rules.contrasts];
  if (FILLER in labels || ruleWords.includes(FILLER)) throw new Error(`The filler "${FILLER}" is a ${code} sentiment word`);
  REGISTERED[code] = { key, anchors: wordBitmap([...Object.keys(labels), ...rules.contrasts]), rules: wordBitmap(ruleWords) };
}

const EMOJI = /\p{Extended_Pictographic}/gu;
const EMOJI_MODIFIERS = /[\uFE0F\u{1F3FB}-\u{1F3FF}]/gu;
const BEYOND_LATIN_1_SPACE = /[^\0-\u00a0]/;
const CURLY_APOSTROPHES = /[\u2018\u2019]/g;
const EXTRA_PUNCTUATION = /[¡¿«»“”„…]/g;
/** French elision ("n'est", "j'adore") hides the word from the lexicon and the negator from the rules. */
const ELISION = /\b(qu|[cdjlmnst])'(?=[a-z])/g;
/** ELISION read from its apostrophe, to test only where one is: most apostrophes are English ("i'm", "don't"). */
const ELISION_AT = /(?<=\b(?:qu|[cdjlmnst]))'(?=[a-z])/y;

function hasElision(text: string): boolean {
  for (let at = text.indexOf("'"); at !== -1; at = text.indexOf("'", at + 1)) {
    ELISION_AT.lastIndex = at;
    if (ELISION_AT.test(text)) return true;
  }
  return false;
}

/** Emoji spaced out, extra punctuation to spaces, curly apostrophes straightened. */
const rewriteBeyondSpace = (text: string) =>
  text.replace(EMOJI_MODIFIERS, '').replace(EMOJI, ' $& ').replace(EXTRA_PUNCTUATION, ' ').replace(CURLY_APOSTROPHES, "'");
/**
 * What `rewriteBeyondSpace` does to each Latin-1 character, asked of it at start-up (© and ® are emoji,
 * ¡¿«» punctuation). Each of its regexes rewrites one character at a time, so in a text without anything
 * beyond Latin-1 one scan for those few does the same as its four (the emoji one alone cost 4 µs a text).
 */
const LATIN_1_REWRITES = new Map(
  Array.from({ length: 0x100 }, (_, code) => String.fromCharCode(code))
    .map((c): [string, string] => [c, rewriteBeyondSpace(c)])
    .filter(([c, rewritten]) => rewritten !== c),
);
const LATIN_1_REWRITTEN = new RegExp(`[${[...LATIN_1_REWRITES.keys()].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}]`, 'g');
const rewriteLatin1 = (c: string) => LATIN_1_REWRITES.get(c)!;
const BEYOND_LATIN_1 = /[^\0-\xff]/;
const CAPS_WORD = /\b[A-ZÀ-ÖØ-Þ]{3,}\b/g;

/**
 * Sentiment in [-1, 1] (negative = unhappy): AFINN-165 through the `sentiment` library, with
 * per-language lexicons for es/fr/de/pt, VADER-style negation, boosters, "but" clauses, ALL-CAPS
 * and "!" emphasis, then VADER's normalisation. Unknown languages are scored with the English lexicon.
 */
export function scoreSentiment(text: string, language: string, folded = fold(text)): number {
  const { key, anchors, rules } = REGISTERED[language] ?? REGISTERED.en;
  // Emoji, their modifiers, the extra punctuation and curly quotes all lie above U+00A0; most
  // messages have nothing there to rewrite, and no elision to split.
  let prepared = folded;
  if (BEYOND_LATIN_1_SPACE.test(prepared)) {
    prepared = BEYOND_LATIN_1.test(prepared) ? rewriteBeyondSpace(prepared) : prepared.replace(LATIN_1_REWRITTEN, rewriteLatin1);
  }
  if (hasElision(prepared)) prepared = prepared.replace(ELISION, '$1e ');
  // The library reads every token; only the ones it may score and the rule words before each can change the result.
  const result = analyser.analyze(scoredContext(prepared, anchors, rules, NEGATION_SCOPE) ?? prepared, { language: key });
  let raw = result.score;

  const shouted = new Set((text.match(CAPS_WORD) ?? []).map(fold));
  if (shouted.size > 0) {
    for (const entry of result.calculation) {
      for (const word in entry) {
        if (shouted.has(word)) raw += Math.sign(entry[word]) * CAPS_INCREMENT;
      }
    }
  }
  if (raw !== 0) {
    let exclamations = 0;
    for (let i = text.indexOf('!'); i !== -1 && exclamations < MAX_EXCLAMATIONS; i = text.indexOf('!', i + 1)) exclamations++;
    raw += Math.sign(raw) * exclamations * EXCLAMATION_INCREMENT;
  }
  return raw / Math.sqrt(raw * raw + NORMALISATION_ALPHA);
}
