/** The Bitext customer-support sample in ../shared/data, read for the routing evaluations. */
import { readFileSync } from 'node:fs';
import { parseCsv } from './csv';

const FILE = '/work/shared/data/bitext-customer-support-20k/TrainingdatasetBitextsample.csv';

/** Intents a routine self-service answer covers: the AI should take these. */
export const ROUTINE = /^(?:check_|track_|delivery_)|_account$|^(?:recover_password|newsletter_subscription|contact_customer_service|get_invoice|change_shipping_address|set_up_shipping_address|place_order|change_order|cancel_order|registration_problems|get_refund|review)$/;

/** Intents whose customer should reach a person. */
export const NEEDS_HUMAN = new Set(['contact_human_agent', 'complaint']);

export interface BitextRow {
  utterance: string;
  intent: string;
  /** Bitext's linguistic flags, e.g. W = offensive language, Q = colloquial. */
  flags: string;
}

export function loadBitext(file = FILE): BitextRow[] {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  const col = (name: string) => header.indexOf(name);
  return rows
    .map((r) => ({ utterance: r[col('utterance')], intent: r[col('intent')], flags: r[col('flags')] ?? '' }))
    .filter((r) => r.utterance && r.intent);
}
