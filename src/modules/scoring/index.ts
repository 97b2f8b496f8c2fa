// Placeholder until the scoring module lands; replaced wholesale by it.
import type { Flag, ScoreInput, TicketScore } from './types';
export * from './types';
export const SCORER_VERSION = 'scorer-placeholder';
export function scoreTicket(input: ScoreInput): TicketScore {
  const t = `${input.subject ?? ''} ${input.body}`.toLowerCase();
  const flags: Flag[] = [];
  if (/real person|human|agent please/.test(t) && !/no need/.test(t)) flags.push('human_requested');
  if (/charged twice|refund|chargeback/.test(t)) flags.push('billing_dispute');
  const sentiment = /frustrat|angry|worst/.test(t) ? -0.5 : /charged twice/.test(t) ? -0.3 : 0.1;
  return { sentiment, complexity: 0.2, flags, topics: [], language: 'en', dissatisfied: /didn't help|useless/.test(t), evidence: [] };
}
