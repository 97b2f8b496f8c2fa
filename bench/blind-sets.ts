/**
 * The blind sets of bench/routing-sets/ by how they may be used (their README tells each one's story). The flag
 * models train on the development sets and never on a row sharing the words of a held-out or untouched one;
 * the evaluations report each group apart. When a set changes role, change it here and in that README.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const BLIND_SETS = {
  /** Sealed: measured in aggregate only, once per version. */
  untouched: ['v'],
  /** Measured in aggregate only; never read, tuned or trained on. */
  heldOut: ['b', 'd', 'e', 'f', 'g', 'h', 'm', 'u', 'w', 'x', 'y', 'z', 'aa', 'ab', 'ac'],
  /** Read and tuned on (A, C, I–L) or written to train on (N–T); the flag models learn from all of them. */
  development: ['a', 'c', 'i', 'j', 'k', 'l', 'n', 'o', 'p', 'q', 'r', 's', 't'],
};

export interface BlindRow {
  subject?: string;
  text: string;
  language: string;
  needsHuman: boolean;
  flags: string[];
}

export function loadBlindSet(set: string): BlindRow[] {
  return JSON.parse(readFileSync(join(__dirname, 'routing-sets', `blind-${set}.json`), 'utf8')) as BlindRow[];
}
