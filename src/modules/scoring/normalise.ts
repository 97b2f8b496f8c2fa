/** Combining marks left behind by NFD; removing them folds "é" to "e", "ã" to "a", "ö" to "o". */
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const APOSTROPHES = /[\u2018\u2019\u02bc\u0060\u00b4]/g;
const WHITESPACE = /\s+/g;

/**
 * Lowercases, folds accents (and ß to ss), unifies apostrophes and collapses whitespace, so that
 * one lexicon entry matches "Précis", "precis" and "PRECIS" alike.
 */
export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(APOSTROPHES, "'")
    .replace(WHITESPACE, ' ')
    .trim();
}

/** Subject and body as one text; the subject often carries the whole request ("Refund not received"). */
export function joinSubjectAndBody(subject: string | undefined, body: string): string {
  return subject && subject.trim() ? `${subject.trim()}.\n${body}` : body;
}
