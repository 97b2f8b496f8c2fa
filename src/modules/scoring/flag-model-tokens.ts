/**
 * What the flag models read, which flags they raise and the odds each must reach: shared by the scorer and
 * by bench/train-flag-models.ts, which must not load the model files it writes.
 */
import type { Flag } from './types';

/** The flags a trained model can raise where no lexicon entry matched, in the order the scorer adds them. */
export const MODEL_FLAGS = ['complaint', 'human_requested', 'safety', 'fraud_or_security', 'bereavement_or_health'] as const satisfies readonly Flag[];
export type ModelFlag = (typeof MODEL_FLAGS)[number];

/**
 * Log2 odds at or above which each model raises its flag. Complaint's 8 (256 to 1) was chosen with the first
 * model by comparing thresholds on the training pool's out-of-fold figures and on held-out sets' aggregates;
 * the others on out-of-fold figures and a reviewer's routine messages only (docs/scoring.md).
 */
export const MODEL_THRESHOLDS: Readonly<Record<ModelFlag, number>> = {
  complaint: 8,
  human_requested: 5,
  safety: 3,
  fraud_or_security: 4,
  bereavement_or_health: 3,
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
