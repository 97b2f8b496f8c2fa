/** Combining marks left behind by NFD; removing them folds "é" to "e", "ã" to "a", "ö" to "o". */
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const APOSTROPHES = /[\u2018\u2019\u02bc\u0060\u00b4]/g;
/**
 * Whitespace runs other than a lone space: rewriting every single space to itself costs more than
 * the rest of normalisation together, and leaving those alone gives the same text.
 */
const WHITESPACE_TO_COLLAPSE = /\s{2,}|[^\S ]/g;

/** Accents folded ("É" to "e") and lowercased: the first step of `normalise`, which sentiment also reads. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
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
  return folded.replace(/ß/g, 'ss').replace(APOSTROPHES, "'").replace(WHITESPACE_TO_COLLAPSE, ' ').trim();
}

/** Subject and body as one text; the subject often carries the whole request ("Refund not received"). */
export function joinSubjectAndBody(subject: string | undefined, body: string): string {
  return subject && subject.trim() ? `${subject.trim()}.\n${body}` : body;
}
