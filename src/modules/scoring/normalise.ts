/** Combining marks left behind by NFD; removing them folds "é" to "e", "ã" to "a", "ö" to "o". */
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const APOSTROPHE_CHARS = ['\u2018', '\u2019', '\u02bc', '\u0060', '\u00b4'];
const APOSTROPHES = new RegExp(`[${APOSTROPHE_CHARS.join('')}]`, 'g');
/**
 * Whitespace runs other than a lone space: rewriting every single space to itself costs more than
 * the rest of normalisation together, and leaving those alone gives the same text. Spelled by how a run
 * begins (other whitespace, or a space with more after it) rather than as `\s{2,}|[^\S ]`, the same runs,
 * which the regex engine tried twice at every whitespace character: a sixth faster.
 */
const WHITESPACE_TO_COLLAPSE = /[^\S ]\s*| \s+/g;

function foldAnyText(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
}

/**
 * Latin-1 folds one character at a time (no Latin-1 character is a combining mark, and none lowercases
 * by context), so a Latin-1 text needs only its accented letters replaced, then lowercasing: a third
 * cheaper than NFD, which also turns the text into two-byte strings for every later pass.
 */
const LATIN_1 = Array.from({ length: 0x100 }, (_, code) => String.fromCharCode(code));
const ACCENTED = LATIN_1.filter((c) => foldAnyText(c) !== c.toLowerCase());
const FOLDED = new Map(ACCENTED.map((c) => [c, foldAnyText(c)]));
const ACCENTED_LETTER = new RegExp(`[${ACCENTED.join('')}]`, 'g');
const BEYOND_LATIN_1 = /[^\0-\xff]/;
const foldAccented = (c: string) => FOLDED.get(c) ?? c;

/** Accents folded ("É" to "e") and lowercased: the first step of `normalise`, which sentiment also reads. */
export function fold(text: string): string {
  if (BEYOND_LATIN_1.test(text)) return foldAnyText(text);
  return text.replace(ACCENTED_LETTER, foldAccented).toLowerCase();
}

/**
 * Lowercases, folds accents (and ß to ss), unifies apostrophes and collapses whitespace, so that
 * one lexicon entry matches "Précis", "precis" and "PRECIS" alike.
 */
export function normalise(text: string): string {
  return normaliseFolded(fold(text));
}

/** `normalise` for text that has already been through `fold`. */
export function normaliseFolded(folded: string): string {
  let text = folded.replace(/ß/g, 'ss');
  // Searching for each apostrophe natively costs a sixth of the class regex's scan, and most texts have none.
  if (APOSTROPHE_CHARS.some((c) => text.includes(c))) text = text.replace(APOSTROPHES, "'");
  return text.replace(WHITESPACE_TO_COLLAPSE, ' ').trim();
}

/** Subject and body as one text; the subject often carries the whole request ("Refund not received"). */
export function joinSubjectAndBody(subject: string | undefined, body: string): string {
  return subject && subject.trim() ? `${subject.trim()}.\n${body}` : body;
}
