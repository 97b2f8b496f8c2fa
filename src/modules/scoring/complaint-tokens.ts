/**
 * What the complaint model reads, and the odds it must reach: shared by the scorer and by
 * bench/train-complaint-model.ts, which must not load the model file it writes.
 */

/**
 * Log2 odds at or above which a message reads as a complaint: 256 to 1. Chosen with the first model by
 * comparing thresholds on the training pool's out-of-fold figures and on the held-out sets' aggregates
 * (docs/routing-card.md says what that costs their standing as held out).
 */
export const COMPLAINT_ODDS_THRESHOLD = 8;

const WORD = /[a-z0-9']+|[!?]/g;
const DIGITS = /\d+/g;

/** The words of a normalised text, digits as one "0", "!" and "?" as words. */
export function complaintWords(normalised: string): string[] {
  return normalised.replace(DIGITS, ' 0 ').match(WORD) ?? [];
}

/** Each distinct word and each distinct pair of neighbouring words: presence only, as the model is trained. */
export function complaintTokens(normalised: string): string[] {
  const words = complaintWords(normalised);
  const tokens = new Set(words);
  for (let i = 1; i < words.length; i++) tokens.add(`${words[i - 1]} ${words[i]}`);
  return [...tokens];
}
