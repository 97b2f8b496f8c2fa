import Sentiment from 'sentiment';

/**
 * The `sentiment` library splits the whole text and looks every token up, though it only scores the
 * labelled ones, and our strategy reads only which rule words (negators, boosters, dampeners, contrast
 * words) lie in the few tokens before each and where the last contrast word is. `scoredContext` hands it
 * the labelled tokens, contrast words and the rule words within reach of one, in order, with a one-letter
 * filler for each other token within reach of a rule word: the same scores in the same order, for a
 * fraction of the splitting and lookups. Which tokens are which is a hashed bitmap of the words; a false
 * positive only keeps a token more.
 */
const WORD_BITS = 16;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function wordHash(word: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
  return hash;
}

const byteOf = (hash: number) => hash >>> (32 - WORD_BITS + 3);
const bitOf = (hash: number) => 1 << ((hash >>> (32 - WORD_BITS)) & 7);

/** A set of words for `scoredContext`. */
export function wordBitmap(words: Iterable<string>): Uint8Array {
  const bitmap = new Uint8Array(2 ** WORD_BITS / 8);
  for (const word of words) {
    const hash = wordHash(word);
    bitmap[byteOf(hash)] |= bitOf(hash);
  }
  return bitmap;
}

/**
 * What the library's tokeniser makes of a character, asked of the library itself: part of a word; a
 * separator (space, newline, its punctuation); whitespace that only separates next to another separator
 * or at either end (it collapses whitespace runs and trims, so a lone tab or no-break space stays inside
 * a word); or anything else (uppercase, which it lowercases), left to the library.
 */
const WORD = 0;
const SEPARATOR = 1;
const LONE_SPACE = 2;
const UNREAD = 3;
const probe = new Sentiment();
const tokenises = (phrase: string, ...tokens: string[]) => JSON.stringify(probe.analyze(phrase).tokens) === JSON.stringify(tokens);
function askKind(c: string): number {
  if (c.toLowerCase() !== c) return UNREAD;
  if (tokenises(`a${c}b`, 'a', 'b') && tokenises(`a${c}${c}b`, 'a', 'b')) return SEPARATOR;
  if (!tokenises(`a${c}b`, `a${c}b`)) return UNREAD;
  if (tokenises(`a ${c}b`, 'a', `${c}b`) && tokenises(`${c}a${c}`, `${c}a${c}`)) return WORD;
  if (tokenises(`a ${c}b`, 'a', 'b') && tokenises(`a${c} b`, 'a', 'b') && tokenises(`${c}a${c}`, 'a')) return LONE_SPACE;
  return UNREAD;
}
/** Latin-1, asked at start-up. */
const KIND = Uint8Array.from({ length: 0x100 }, (_, code) => askKind(String.fromCharCode(code)));
/** Other code units (emoji halves on their own included), asked the first time one is read: one more than its kind, 0 until then. */
const WIDE_KIND = new Uint8Array(0x10000);
/** Characters beyond U+FFFF (most emoji), asked as a whole the first time one is read: lowercasing may change a pair, not its halves. */
const ASTRAL_KIND = new Map<number, number>();
const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** The kind of the code unit at `i`; undefined past the end. */
function kindAt(text: string, i: number): number | undefined {
  const code = text.charCodeAt(i);
  if (!(code > 0xff)) return KIND[code];
  if (isHigh(code) && isLow(text.charCodeAt(i + 1))) {
    const point = text.codePointAt(i)!;
    let kind = ASTRAL_KIND.get(point);
    if (kind === undefined) {
      // Read as two units of one word, so a pair is that or left to the library.
      kind = askKind(String.fromCodePoint(point)) === WORD ? WORD : UNREAD;
      ASTRAL_KIND.set(point, kind);
    }
    return kind;
  }
  // The second half of a pair: its first half, already read, decided for both.
  if (isLow(code) && isHigh(text.charCodeAt(i - 1))) return WORD;
  if (WIDE_KIND[code] === 0) WIDE_KIND[code] = askKind(String.fromCharCode(code)) + 1;
  return WIDE_KIND[code] - 1;
}

/**
 * What stands in for a token that is neither scored nor read by the rules but still counts in their
 * scope: one character the tokeniser keeps whole, which no language labels or uses as a rule word
 * (sentiment.ts checks that at start-up).
 */
export const FILLER = 'x';
const FILLER_TOKEN = ` ${FILLER}`;

/**
 * The library's tokens of `text` as one phrase that gives the same scores. The `anchors` (labels and
 * contrast words) stay as they are, in order. Each scored token must see the same rule words (`rules`)
 * at the same distances among the `scope` tokens before it, so a rule word before an anchor stays too,
 * and each other token within `scope` after a rule word becomes `FILLER`. Rule words no anchor follows
 * within reach change no score: they and their fillers are held back until an anchor comes, and dropped
 * once `scope` tokens without a rule word have passed, leaving just enough fillers to keep earlier rule
 * words out of reach. A hashed bitmap may hold a word that is not in its set: it only stays as one more.
 * Undefined when the text holds a code unit this reading does not cover: then pass the whole text.
 */
export function scoredContext(text: string, anchors: Uint8Array, rules: Uint8Array, scope: number): string | undefined {
  let phrase = '';
  let held = '';
  // Tokens since the last rule word, in the text and at the end of `phrase`.
  let sinceRule = scope;
  let phraseSinceRule = scope;
  for (let i = 0; i < text.length; ) {
    let code = text.charCodeAt(i);
    let kind = code > 0xff ? kindAt(text, i) : KIND[code];
    if (kind === UNREAD) return undefined;
    // A lone space that belongs to a word is read with the word below; any other starts none.
    if (kind !== WORD) {
      i++;
      continue;
    }
    const start = i;
    let hash = FNV_OFFSET;
    for (;;) {
      hash = Math.imul(hash ^ code, FNV_PRIME);
      if (++i === text.length) break;
      code = text.charCodeAt(i);
      kind = code > 0xff ? kindAt(text, i) : KIND[code];
      if (kind !== WORD && !(kind === LONE_SPACE && kindAt(text, i + 1) === WORD)) break;
    }
    const byte = byteOf(hash);
    const bit = bitOf(hash);
    if (anchors[byte] & bit) {
      phrase += `${held} ${text.slice(start, i)}`;
      held = '';
      sinceRule = rules[byte] & bit ? 0 : sinceRule + 1;
      phraseSinceRule = sinceRule;
    } else if (rules[byte] & bit) {
      held += ` ${text.slice(start, i)}`;
      sinceRule = 0;
    } else if (sinceRule < scope) {
      held += FILLER_TOKEN;
      if (++sinceRule === scope) {
        held = '';
        for (; phraseSinceRule < scope; phraseSinceRule++) phrase += FILLER_TOKEN;
      }
    }
  }
  // Every token went in with a space before it.
  return phrase.slice(1);
}
