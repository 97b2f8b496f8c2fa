/**
 * Routing figures on the Bitext customer-support sample: `npx tsx bench/evaluate-bitext.ts`.
 * Recall of "needs a human" for contact_human_agent and complaint, the AI's share of routine intents,
 * and the human share per intent. Used to find blind spots, never to copy utterances into lexicons.
 */
import { scoreTicket } from '../src/modules/scoring';
import { decideRoute } from '../src/modules/routing/routing-policy';
import { loadBitext, NEEDS_HUMAN, ROUTINE } from './bitext';

const rows = loadBitext();
const perIntent = new Map<string, { n: number; human: number; misses: string[] }>();
for (const { utterance, intent } of rows) {
  const route = decideRoute(scoreTicket({ body: utterance }), { aiOptOut: false, tier: 'standard', recentTicketCount: 0 }).route;
  const stats = perIntent.get(intent) ?? { n: 0, human: 0, misses: [] };
  stats.n++;
  const wantsHuman = NEEDS_HUMAN.has(intent);
  if (route === 'human') stats.human++;
  if ((route === 'human') !== wantsHuman && stats.misses.length < 5) stats.misses.push(utterance);
  perIntent.set(intent, stats);
}

const share = (intents: string[]) => {
  let n = 0, human = 0;
  for (const i of intents) (n += perIntent.get(i)?.n ?? 0), (human += perIntent.get(i)?.human ?? 0);
  return { n, human };
};
const human = share(['contact_human_agent']);
const complaint = share(['complaint']);
const routine = share([...perIntent.keys()].filter((i) => ROUTINE.test(i)));
const pct = (x: number) => (100 * x).toFixed(1) + '%';
console.log(`contact_human_agent recall: ${pct(human.human / human.n)} (${human.human}/${human.n}, target >= 95%)`);
console.log(`complaint recall:           ${pct(complaint.human / complaint.n)} (${complaint.human}/${complaint.n}, target >= 90%)`);
console.log(`routine AI share:           ${pct(1 - routine.human / routine.n)} (${routine.n - routine.human}/${routine.n}, target >= 85%)`);
console.log('\nhuman share per intent:');
for (const [intent, s] of [...perIntent].sort((a, b) => b[1].human / b[1].n - a[1].human / a[1].n)) {
  console.log(`  ${intent.padEnd(26)} ${pct(s.human / s.n).padStart(6)}  (n=${s.n})${ROUTINE.test(intent) ? '  routine' : ''}`);
}
if (process.argv.includes('--misses')) {
  for (const [intent, s] of perIntent) if (s.misses.length) console.log(`\n${intent}:\n  ${s.misses.join('\n  ')}`);
}
