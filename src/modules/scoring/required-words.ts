/**
 * A cheap, exact pre-check for the lexicon regexes. Scanning 1 KB of text with a regex of a few hundred
 * alternatives costs tens of microseconds per lexicon; most messages match none of most lexicons. Each
 * alternative is read once, at start-up, for the words it cannot match without: a run of letters or
 * digits that must begin a word of the text (it starts the pattern, which sits after `\b`, or follows a
 * space or punctuation the pattern requires). A message whose words do not begin that way cannot match
 * the alternative, so the regex is only run with the alternatives that can.
 *
 * The reading is conservative: anything it does not understand (classes, `\w`, lookarounds, optional
 * parts) simply yields no requirement, and an alternative without one is always kept.
 */

/** Word prefixes are compared on this many characters: short enough to index cheaply, long enough to tell words apart. */
const PREFIX = 4;
const ALNUM = /[a-z0-9]/;

/**
 * Every set must contain a word prefix of the text (AND of ORs). Sets are ordered rarest first, so a
 * message that cannot match usually fails on the first one.
 */
export type Requirement = number[][];
type Reading = Set<number>[];

type Item =
  | { kind: 'char'; ch: string; optional: boolean }
  | { kind: 'delim'; optional: boolean }
  | { kind: 'group'; alternatives: string[]; optional: boolean }
  | { kind: 'opaque' };

/** Splits a pattern at top-level `|`. */
function splitAlternatives(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

/** Index just past the `)` closing the group opened at `open`. */
function closeOf(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return source.length;
}

/** Length of a quantifier at `i` and whether it allows zero repetitions; [0, false] when there is none. */
function quantifierAt(source: string, i: number): [number, boolean] {
  const c = source[i];
  let length = 0;
  let optional = false;
  if (c === '?' || c === '*') [length, optional] = [1, true];
  else if (c === '+') length = 1;
  else if (c === '{') {
    const m = /^\{(\d+)(,\d*)?\}/.exec(source.slice(i));
    if (m) [length, optional] = [m[0].length, Number(m[1]) === 0];
  }
  if (length > 0 && source[i + length] === '?') length++;
  return [length, optional];
}

/** Index just past the class opened at `open`: the first unescaped ']'. */
function classEnd(source: string, open: number): number {
  for (let k = open + 1; k < source.length; k++) {
    if (source[k] === '\\') k++;
    else if (source[k] === ']') return k + 1;
  }
  return source.length;
}

/** Length of an escape at `i`: `\uXXXX`, `\u{…}`, `\xXX`, `\p{…}` or a single character. */
function escapeLength(source: string, i: number): number {
  const m = /^\\(?:u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[pP]\{[^}]*\}|c[a-zA-Z]|[\s\S])/.exec(source.slice(i));
  return m ? m[0].length : 1;
}

/** The pattern's top-level items, in order. Quantified items count as optional (the reading stays safe). */
function itemsOf(source: string): Item[] {
  const items: Item[] = [];
  for (let i = 0; i < source.length; ) {
    const c = source[i];
    let item: Item;
    let end: number;
    if (c === '(') {
      end = closeOf(source, i);
      item = source.startsWith('(?:', i) ? { kind: 'group', alternatives: splitAlternatives(source.slice(i + 3, end - 1)), optional: false } : { kind: 'opaque' };
    } else if (c === '[') {
      end = classEnd(source, i);
      item = { kind: 'opaque' };
    } else if (c === '\\') {
      end = i + escapeLength(source, i);
      // \s and escaped punctuation are characters that cannot be part of a word; anything else is not understood.
      item = end === i + 2 && (source[i + 1] === 's' || /[^a-zA-Z0-9]/.test(source[i + 1])) ? { kind: 'delim', optional: false } : { kind: 'opaque' };
    } else if (ALNUM.test(c)) {
      end = i + 1;
      item = { kind: 'char', ch: c, optional: false };
    } else if (/[\s'",;:!&\-\/#@]/.test(c)) {
      end = i + 1;
      item = { kind: 'delim', optional: false };
    } else {
      end = i + 1;
      item = { kind: 'opaque' };
    }
    const [length, optional] = quantifierAt(source, end);
    if (length > 0) {
      item = item.kind === 'opaque' || (item.kind === 'group' && !optional) ? { kind: 'opaque' } : { ...item, optional: true };
      end += length;
    }
    items.push(item);
    i = end;
  }
  return items;
}

/** How rare a set's words are: its shortest prefix decides (longer prefixes have larger codes), then its size. */
function rarity(set: Set<number>): number {
  return Math.min(...[...set].map((w) => Math.ceil(Math.log(w + 1) / Math.log(37)))) * 100 - set.size;
}

/** The rarest single set of a reading. */
function strongest(reading: Reading): Set<number> | undefined {
  let best: Set<number> | undefined;
  for (const set of reading) if (!best || rarity(set) > rarity(best)) best = set;
  return best;
}

/** What a pattern that sits right after `\b` cannot match without. */
export function requirementOf(source: string): Requirement {
  const requirement = read(source, true)
    .sort((a, b) => rarity(b) - rarity(a))
    .map((set) => [...set]);
  for (const set of requirement) for (const code of set) required[code >>> 3] |= 1 << (code & 7);
  // A text read before these words were required has not marked them.
  current = { text: '', generation: 0 };
  return requirement;
}

/**
 * The words of which one must begin any match of a pattern that sits right after `\b`, or undefined when
 * the reading cannot tell (a class, an escape, an optional first letter…). Even when an entry's required
 * words are present, a match can only start where one of these does, so the entry is tried at those few
 * places instead of being scanned across the whole text.
 */
export function startWordsOf(source: string): StartWords | undefined {
  // The entry's regex ends in (?![a-z0-9]): its last word ends there.
  const keys = startKeys(source, true);
  return keys && { ids: [...keys].map(registerStart) };
}

/**
 * A start word as a number: a prefix code when the pattern's first word may go on ("refund" in
 * "refund(?:ed)?"), or that code plus CODES when the word is known to end there: "a" in "(?:a|the)\s"
 * must not make every word that begins with "a" a place to try.
 */
type StartKey = number;

/** `endsWord`: whatever follows the source is surely not a letter or digit. */
function startKeys(source: string, endsWord: boolean): Set<StartKey> | undefined {
  const union = new Set<StartKey>();
  for (const alternative of splitAlternatives(source)) {
    const keys = startKeysOfItems(itemsOf(alternative), 0, endsWord);
    if (!keys) return undefined;
    for (const key of keys) union.add(key);
  }
  return union;
}

function startKeysOfItems(items: Item[], k: number, endsWord: boolean): Set<StartKey> | undefined {
  const item = items[k];
  if (item?.kind === 'char' && !item.optional) {
    let run = '';
    let i = k;
    for (; i < items.length; i++) {
      const next = items[i];
      if (next.kind !== 'char' || next.optional) break;
      run += next.ch;
    }
    const whole = run.length <= PREFIX && wordEndsAt(items, i, endsWord);
    return new Set([whole ? prefixCode(run) + CODES : prefixCode(run)]);
  }
  if (item?.kind !== 'group') return undefined;
  // An optional group may repeat, so what follows one of its ways through may be the group again.
  const keys = startKeys(item.alternatives.join('|'), !item.optional && wordEndsAt(items, k + 1, endsWord));
  if (!keys || !item.optional) return keys;
  // An optional group may match nothing, and then the match begins with what follows it.
  const rest = startKeysOfItems(items, k + 1, endsWord);
  return rest && new Set([...keys, ...rest]);
}

/** Whether a word surely ends before item `i`: a required space or punctuation, or the end of a source followed by one. */
function wordEndsAt(items: Item[], i: number, endsWord: boolean): boolean {
  const item = items[i];
  return item === undefined ? endsWord : item.kind === 'delim' && !item.optional;
}

/** `wordStart`: the pattern begins at the start of a word of the text (after `\b`, or after a required space). */
function read(source: string, wordStart: boolean): Reading {
  const alternatives = splitAlternatives(source);
  if (alternatives.length > 1) {
    const union = new Set<number>();
    for (const alternative of alternatives) {
      const set = strongest(read(alternative, wordStart));
      if (!set) return [];
      for (const w of set) union.add(w);
    }
    return [union];
  }
  const requirement: Reading = [];
  let atWordStart = wordStart;
  let run = '';
  let runAtWordStart = false;
  const endRun = () => {
    if (run && runAtWordStart) requirement.push(new Set([prefixCode(run)]));
    run = '';
  };
  for (const item of itemsOf(source)) {
    if (item.kind === 'char' && !item.optional) {
      if (!run) runAtWordStart = atWordStart;
      run += item.ch;
      atWordStart = false;
      continue;
    }
    endRun();
    if (item.kind === 'group' && !item.optional) requirement.push(...read(item.alternatives.join('|'), atWordStart));
    atWordStart = startsWordAfter(item, atWordStart);
  }
  endRun();
  return requirement;
}

/**
 * Whether the text after `item` surely starts a word, given whether it did before: after a required
 * delimiter it does; after a group, when every way through the group ends so ("(?:a |an )"); after an
 * optional part, only if it also did before, in case the part matched nothing.
 */
function startsWordAfter(item: Item, before: boolean): boolean {
  switch (item.kind) {
    case 'delim':
      return item.optional ? before : true;
    case 'group':
      // An optional group may repeat, and a repetition starts where the previous one ended, so it is judged from the weakest start.
      return item.optional ? before && endsAtWordStart(item.alternatives, false) : endsAtWordStart(item.alternatives, before);
    default:
      // A letter or digit continues a word; anything not understood may.
      return false;
  }
}

function endsAtWordStart(alternatives: string[], before: boolean): boolean {
  return alternatives.every((alternative) => itemsOf(alternative).reduce((atWordStart, item) => startsWordAfter(item, atWordStart), before));
}

/** A word prefix as a number (base 37 over a-z and 0-9), so checks allocate no strings. */
function codeOfChar(c: number): number {
  if (c >= 97 && c <= 122) return c - 96;
  if (c >= 48 && c <= 57) return c - 21;
  return 0;
}

/** codeOfChar of every ASCII unit, read per character of every text: a table beats the comparisons. */
const CHAR_CODES = Uint8Array.from({ length: 128 }, (_, unit) => codeOfChar(unit));

function prefixCode(word: string): number {
  let code = 0;
  for (let i = 0; i < word.length && i < PREFIX; i++) code = code * 37 + codeOfChar(word.charCodeAt(i));
  return code;
}

/** Prefix codes are below 37^PREFIX, so one bit each fits in a fixed bitmap (230 KB). */
const CODES = 37 ** PREFIX;

/**
 * The word prefixes of one text. The bitmap is shared and rewritten by the next `wordPrefixes` call,
 * which marks this reading stale: `satisfied` refuses a stale reading rather than answer from another text.
 */
export interface WordPrefixes {
  readonly text: string;
  readonly generation: number;
}

/** An entry's possible first words, as ids of the start words every text is indexed by. */
export interface StartWords {
  readonly ids: readonly number[];
}

const bitmap = new Uint8Array(Math.ceil(CODES / 8));
/**
 * The prefixes some requirement names: only those are marked in `bitmap`, since `satisfied` asks for no
 * other, and a text's other prefixes (most of them) then cost one bit test instead of a mark to undo.
 */
const required = new Uint8Array(Math.ceil(CODES / 8));
/** The codes set in the bitmap, to clear them one by one instead of wiping 230 KB per message. */
let marked = new Int32Array(1024);
let markedCount = 0;
let current: WordPrefixes = { text: '', generation: 0 };

/**
 * The lexicons' start words: a bitmap to tell them from other prefixes in the text's one pass, and an id
 * each, under which the text's word starts that begin with that word are listed in order.
 */
const startBitmap = new Uint8Array(Math.ceil(CODES / 8));
const wholeWordBitmap = new Uint8Array(Math.ceil(CODES / 8));
/**
 * Start ids by key, in an open-addressing table: looked up at every word start of every text, where a
 * Map's number hashing cost a fiftieth of scoring. Keys are -1 in empty slots; at most half are used.
 */
let idKeys = new Int32Array(1024).fill(-1);
let idValues = new Int32Array(1024);
let startCount = 0;

function slotOfKey(key: StartKey): number {
  const mask = idKeys.length - 1;
  let slot = Math.imul(key, 0x9e3779b1) >>> 0 & mask;
  while (idKeys[slot] !== -1 && idKeys[slot] !== key) slot = (slot + 1) & mask;
  return slot;
}

function startIdOf(key: StartKey): number {
  return idValues[slotOfKey(key)];
}
/** Per start id, the first and last of its positions in `positions`, chained through `nextPosition`; -1 when none. */
let firstOf = new Int32Array(0);
let lastOf = new Int32Array(0);
let touched = new Int32Array(64);
let touchedCount = 0;
let positions = new Int32Array(1024);
let nextPosition = new Int32Array(1024);
let positionCount = 0;

function registerStart(key: StartKey): number {
  const slot = slotOfKey(key);
  if (idKeys[slot] === key) return idValues[slot];
  const id = startCount++;
  idKeys[slot] = key;
  idValues[slot] = id;
  if (2 * startCount > idKeys.length) {
    const [oldKeys, oldValues] = [idKeys, idValues];
    idKeys = new Int32Array(oldKeys.length * 2).fill(-1);
    idValues = new Int32Array(oldKeys.length * 2);
    oldKeys.forEach((oldKey, k) => {
      if (oldKey === -1) return;
      const moved = slotOfKey(oldKey);
      idKeys[moved] = oldKey;
      idValues[moved] = oldValues[k];
    });
  }
  const code = key % CODES;
  (key < CODES ? startBitmap : wholeWordBitmap)[code >>> 3] |= 1 << (code & 7);
  const grownFirst = new Int32Array(id + 1).fill(-1);
  grownFirst.set(firstOf);
  firstOf = grownFirst;
  const grownLast = new Int32Array(id + 1).fill(-1);
  grownLast.set(lastOf);
  lastOf = grownLast;
  // A text read before this start word existed has no positions for it.
  current = { text: '', generation: 0 };
  return id;
}

function recordStart(id: number, position: number): void {
  if (positionCount === positions.length) {
    const grown = new Int32Array(positions.length * 2);
    grown.set(positions);
    positions = grown;
    const grownNext = new Int32Array(nextPosition.length * 2);
    grownNext.set(nextPosition);
    nextPosition = grownNext;
  }
  const n = positionCount++;
  positions[n] = position;
  nextPosition[n] = -1;
  if (firstOf[id] === -1) {
    firstOf[id] = n;
    if (touchedCount === touched.length) {
      const grown = new Int32Array(touched.length * 2);
      grown.set(touched);
      touched = grown;
    }
    touched[touchedCount++] = id;
  } else nextPosition[lastOf[id]] = n;
  lastOf[id] = n;
}

function mark(code: number): void {
  const byte = code >>> 3;
  const bit = 1 << (code & 7);
  if (bitmap[byte] & bit) return;
  bitmap[byte] |= bit;
  if (markedCount === marked.length) {
    const grown = new Int32Array(marked.length * 2);
    grown.set(marked);
    marked = grown;
  }
  marked[markedCount++] = code;
}

/** Every prefix (up to PREFIX characters) of every word of the text: what requirements are checked against. */
export function wordPrefixes(text: string): WordPrefixes {
  // Flags, dissatisfaction and topics read the same normalised text one after the other.
  if (text === current.text && current.generation > 0) return current;
  for (let i = 0; i < markedCount; i++) bitmap[marked[i] >>> 3] = 0;
  markedCount = 0;
  for (let k = 0; k < touchedCount; k++) firstOf[touched[k]] = -1;
  touchedCount = 0;
  positionCount = 0;
  let code = 0;
  let length = 0;
  let wordStart = 0;
  for (let i = 0; i <= text.length; i++) {
    // One step past the end closes the last word.
    const unit = i < text.length ? text.charCodeAt(i) : 0;
    const c = unit < 128 ? CHAR_CODES[unit] : 0;
    if (c === 0) {
      if (length > 0 && length <= PREFIX && wholeWordBitmap[code >>> 3] & (1 << (code & 7))) recordStart(startIdOf(code + CODES), wordStart);
      length = 0;
      code = 0;
    } else {
      if (length === 0) wordStart = i;
      if (length < PREFIX) {
        code = code * 37 + c;
        if (required[code >>> 3] & (1 << (code & 7))) mark(code);
        if (startBitmap[code >>> 3] & (1 << (code & 7))) recordStart(startIdOf(code), wordStart);
      }
      length++;
    }
  }
  current = { text, generation: current.generation + 1 };
  return current;
}

export function satisfied(requirement: Requirement, prefixes: WordPrefixes): boolean {
  if (prefixes !== current) throw new Error('Word prefixes read from an earlier text; call wordPrefixes again');
  for (let i = 0; i < requirement.length; i++) {
    const set = requirement[i];
    let any = false;
    for (let k = 0; k < set.length && !any; k++) any = (bitmap[set[k] >>> 3] & (1 << (set[k] & 7))) !== 0;
    if (!any) return false;
  }
  return true;
}

/**
 * Writes into `kept` the indices of the requirements that the text's words satisfy, and returns how many:
 * one call per lexicon rather than per entry, into the caller's reused array rather than a new one.
 */
export function satisfiedIndices(requirements: readonly Requirement[], prefixes: WordPrefixes, kept: Int32Array): number {
  let count = 0;
  for (let i = 0; i < requirements.length; i++) if (satisfied(requirements[i], prefixes)) kept[count++] = i;
  return count;
}

/**
 * Where the first match of the sticky `regex` at or after `from` begins (its end is then `regex.lastIndex`),
 * or -1: tried only where a match of an entry with these start words can begin, the word starts whose word
 * begins with one of them, in ascending order. Every other position would fail the entry's first word.
 * The positions are walked, never collected: most entries match at their first start or at none, and a
 * list per entry was two fifths of what scoring allocated, which a busy server pays for again in garbage
 * collection; `test` builds no match array.
 */
export function matchAtStarts(regex: RegExp, text: string, starts: StartWords, prefixes: WordPrefixes, from: number): number {
  if (prefixes !== current) throw new Error('Word prefixes read from an earlier text; call wordPrefixes again');
  const { ids } = starts;
  if (ids.length === 1) {
    for (let n = firstOf[ids[0]]; n !== -1; n = nextPosition[n]) {
      if (positions[n] < from) continue;
      regex.lastIndex = positions[n];
      if (regex.test(text)) return positions[n];
    }
    return -1;
  }
  if (heads.length < ids.length) heads = new Int32Array(ids.length);
  let count = 0;
  for (const id of ids) if (firstOf[id] !== -1) heads[count++] = firstOf[id];
  // Each start word's list is already in text order, so they are merged as they are walked; one word can
  // begin with two start words ("a" and "agent"): each position is tried once.
  let tried = -1;
  for (;;) {
    let least = -1;
    for (let k = 0; k < count; k++) if (heads[k] !== -1 && (least === -1 || positions[heads[k]] < positions[heads[least]])) least = k;
    if (least === -1) return -1;
    const position = positions[heads[least]];
    heads[least] = nextPosition[heads[least]];
    if (position === tried || position < from) continue;
    tried = position;
    regex.lastIndex = position;
    if (regex.test(text)) return position;
  }
}

/** The merge's cursors, one per start word with positions; reused (scoring is synchronous), so walking allocates nothing. */
let heads = new Int32Array(16);
