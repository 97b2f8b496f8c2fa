/**
 * What the flag models read, which flags they raise and the odds each must reach: shared by the scorer and
 * by bench/train-flag-models.ts, which must not load the model files it writes.
 */
import type { Flag } from './types';

/** The flags a trained model can raise where no lexicon entry matched, in the order the scorer adds them. */
export const MODEL_FLAGS = ['complaint', 'human_requested', 'safety', 'fraud_or_security'] as const satisfies readonly Flag[];
export type ModelFlag = (typeof MODEL_FLAGS)[number];

/**
 * Log2 odds at or above which each model raises its flag: the lowest at which, out of fold, a model raises
 * about 1 in 700 or fewer of the routine training rows the lexicon raises nothing on (`npx tsx
 * bench/train-flag-models.ts --thresholds`), raised where that still read a routine look-alike of the scorer's
 * unit tests or the labelled table as a request (2 → 4) or as danger (6 → 10: "Perdi o bebê conforto no
 * aeroporto, vocês vendem outro?" reads 9.6). Not chosen on the blind sets (docs/scoring.md).
 */
export const MODEL_THRESHOLDS: Readonly<Record<ModelFlag, number>> = {
  complaint: 12,
  human_requested: 4,
  safety: 10,
  fraud_or_security: 5,
};

const WORD = /[a-z0-9']+|[!?]/g;
const DIGITS = /\d+/g;

/** The words of a normalised text, digits as one "0", "!" and "?" as words. */
export function modelWords(normalised: string): string[] {
  return normalised.replace(DIGITS, ' 0 ').match(WORD) ?? [];
}

/** Each distinct word and each distinct pair of neighbouring words: presence only, as the models are trained. */
export function modelTokens(normalised: string): string[] {
  const words = modelWords(normalised);
  const tokens = new Set(words);
  for (let i = 1; i < words.length; i++) tokens.add(`${words[i - 1]} ${words[i]}`);
  return [...tokens];
}
