/**
 * Routing figures on the Bitext customer-support sample: `npx tsx bench/evaluate-bitext.ts`.
 * Recall of "needs a human" for contact_human_agent and complaint, the AI's share of routine intents,
 * and the human share per intent. Used to find blind spots, never to copy utterances into lexicons.
 */
import { readFileSync } from 'node:fs';
import { scoreTicket } from '../src/modules/scoring';
import { decideRoute } from '../src/modules/routing/routing-policy';

const FILE = '/work/shared/data/bitext-customer-support-20k/TrainingdatasetBitextsample.csv';
const ROUTINE = /^(?:check_|track_|delivery_)|_account$|^(?:recover_password|newsletter_subscription|contact_customer_service|get_invoice|change_shipping_address|set_up_shipping_address|place_order|change_order|cancel_order|registration_problems|get_refund|review)$/;

/** RFC 4180 rows: quoted fields may hold commas and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

const [header, ...rows] = parseCsv(readFileSync(FILE, 'utf8').replace(/^\uFEFF/, ''));
const col = (name: string) => header.indexOf(name);
const perIntent = new Map<string, { n: number; human: number; misses: string[] }>();
for (const row of rows) {
  const utterance = row[col('utterance')];
  const intent = row[col('intent')];
  if (!utterance || !intent) continue;
  const route = decideRoute(scoreTicket({ body: utterance }), { aiOptOut: false, tier: 'standard', recentTicketCount: 0 }).route;
  const stats = perIntent.get(intent) ?? { n: 0, human: 0, misses: [] };
  stats.n++;
  const wantsHuman = intent === 'contact_human_agent' || intent === 'complaint';
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
