import Sentiment from 'sentiment';

/**
 * The `sentiment` library splits the whole text and looks every token up, though it only scores the
 * labelled ones, and our strategy reads just the few tokens before each and where the last contrast word
 * is. `scoredContext` hands it only those tokens, in order: the same scores in the same order, for a
 * fraction of the splitting and lookups. Which tokens may be labelled is a hashed bitmap of the words;
 * a false positive only keeps a few tokens more.
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

/** The words a `scoredContext` keeps: labels and contrast words. */
export function wordBitmap(words: Iterable<string>): Uint8Array {
  const bitmap = new Uint8Array(2 ** WORD_BITS / 8);
  for (const word of words) {
    const hash = wordHash(word);
    bitmap[byteOf(hash)] |= bitOf(hash);
  }
  return bitmap;
}

/**
 * What the library's tokeniser makes of each Latin-1 code unit, asked of the library itself at start-up:
 * part of a word; a separator (space, newline, its punctuation); whitespace that only separates next to
 * another separator or at either end (it collapses whitespace runs and trims, so a lone tab or no-break
 * space stays inside a word); or anything else (uppercase, which it lowercases), left to the library.
 */
const WORD = 0;
const SEPARATOR = 1;
const LONE_SPACE = 2;
const UNREAD = 3;
const probe = new Sentiment();
const tokenises = (phrase: string, ...tokens: string[]) => JSON.stringify(probe.analyze(phrase).tokens) === JSON.stringify(tokens);
const KIND = Uint8Array.from({ length: 0x100 }, (_, code) => {
  const c = String.fromCharCode(code);
  if (c.toLowerCase() !== c) return UNREAD;
  if (tokenises(`a${c}b`, 'a', 'b') && tokenises(`a${c}${c}b`, 'a', 'b')) return SEPARATOR;
  if (!tokenises(`a${c}b`, `a${c}b`)) return UNREAD;
  if (tokenises(`a ${c}b`, 'a', `${c}b`) && tokenises(`${c}a${c}`, `${c}a${c}`)) return WORD;
  if (tokenises(`a ${c}b`, 'a', 'b') && tokenises(`a${c} b`, 'a', 'b') && tokenises(`${c}a${c}`, 'a')) return LONE_SPACE;
  return UNREAD;
});

/** Where recent tokens start, by token number modulo its length (a power of two above any `before`). */
const starts = new Int32Array(16);

/**
 * The library's tokens of `text` that are in `words`, each with the `before` tokens that precede it, as
 * one phrase that the library splits into exactly those tokens (runs of adjacent ones are sliced whole).
 * Undefined when the text holds a code unit this reading does not cover: then pass the whole text.
 */
export function scoredContext(text: string, words: Uint8Array, before: number): string | undefined {
  if (before >= starts.length) throw new Error(`scoredContext keeps at most ${starts.length - 1} tokens before a word`);
  const mask = starts.length - 1;
  let phrase = '';
  let token = 0;
  let runStart = 0;
  let runEnd = 0;
  let runLast = -2;
  for (let i = 0; i < text.length; ) {
    let code = text.charCodeAt(i);
    let kind = code > 0xff ? UNREAD : KIND[code];
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
      kind = code > 0xff ? UNREAD : KIND[code];
      if (kind !== WORD && !(kind === LONE_SPACE && KIND[text.charCodeAt(i + 1)] === WORD)) break;
    }
    starts[token & mask] = start;
    if (words[byteOf(hash)] & bitOf(hash)) {
      const first = Math.max(0, token - before);
      if (first > runLast + 1) {
        if (runLast >= 0) phrase += phrase ? ` ${text.slice(runStart, runEnd)}` : text.slice(runStart, runEnd);
        runStart = starts[first & mask];
      }
      runEnd = i;
      runLast = token;
    }
    token++;
  }
  if (runLast >= 0) phrase += phrase ? ` ${text.slice(runStart, runEnd)}` : text.slice(runStart, runEnd);
  return phrase;
}
