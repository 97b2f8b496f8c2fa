/** PolyAI's Banking77 in bench/routing-sets/banking77 (its README), read for the routing evaluations and training. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from './csv';

/**
 * Banking77's intents that need a person, with `fraud_or_security`; every other intent is routine. Fixed before
 * any router result was looked at (routing-sets/banking77/README.md).
 */
export const FRAUD_OR_SECURITY_INTENTS = new Set([
  'card_payment_not_recognised',
  'cash_withdrawal_not_recognised',
  'direct_debit_payment_not_recognised',
  'compromised_card',
  'lost_or_stolen_card',
  'lost_or_stolen_phone',
]);

/** One split's questions and their intents. */
export function loadBanking77(split: 'train' | 'test'): { text: string; intent: string }[] {
  const [header, ...rows] = parseCsv(readFileSync(join(__dirname, 'routing-sets', 'banking77', `${split}.csv`), 'utf8'));
  const text = header.indexOf('text');
  const intent = header.indexOf('category');
  return rows.map((row) => ({ text: row[text], intent: row[intent] }));
}
