/**
 * Routing figures on Banking77 (PolyAI, CC BY 4.0; bench/routing-sets/banking77/README.md):
 * `npx tsx bench/evaluate-banking77.ts [train|test] [--misses]`, train by default.
 * The six intents that report fraud, a lost or stolen card or phone need a person with the flag
 * fraud_or_security; the other 71 are routine. Prints precision and recall of "needs a human", the AI's
 * share of routine questions, the flag's recall and precision, the human share per intent and, with
 * --misses, every routing error. Tune on train only: the test split's texts and misses stay unread.
 */
import { scoreTicket } from '../src/modules/scoring';
import { decideRoute, DEFAULT_POLICY } from '../src/modules/routing/routing-policy';
import { PLAIN_CUSTOMER, pct } from './routing-figures';
import { FRAUD_OR_SECURITY_INTENTS, loadBanking77 } from './banking77';

const split = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'train';
if (split !== 'train' && split !== 'test') {
  console.error('usage: npx tsx bench/evaluate-banking77.ts [train|test] [--misses]');
  process.exit(2);
}
const SHOW_MISSES = process.argv.includes('--misses');

const judged = loadBanking77(split).map(({ text, intent }) => {
  const score = scoreTicket({ body: text });
  const decision = decideRoute(score, PLAIN_CUSTOMER, DEFAULT_POLICY);
  return {
    text,
    intent,
    wantsHuman: FRAUD_OR_SECURITY_INTENTS.has(intent),
    human: decision.route === 'human',
    flagged: (score.flags as string[]).includes('fraud_or_security'),
    flags: score.flags as string[],
    reasons: decision.reasons.map((r) => r.code),
  };
});

const tp = judged.filter((j) => j.human && j.wantsHuman).length;
const fp = judged.filter((j) => j.human && !j.wantsHuman).length;
const fn = judged.filter((j) => !j.human && j.wantsHuman).length;
const tn = judged.filter((j) => !j.human && !j.wantsHuman).length;
const flagHits = judged.filter((j) => j.flagged && j.wantsHuman).length;
const flagRaised = judged.filter((j) => j.flagged).length;
const intents = new Set(judged.map((j) => j.intent));

console.log(`Banking77 ${split}: ${judged.length} messages, ${intents.size} intents, policy ${DEFAULT_POLICY.version}`);
console.log(`needs-a-human precision ${pct(tp, tp + fp)}, recall ${pct(tp, tp + fn)}; AI share of routine ${pct(tn, tn + fp)}`);
console.log(`confusion TP ${tp}, FP ${fp}, FN ${fn}, TN ${tn}`);
console.log(`fraud_or_security flag: recall ${pct(flagHits, tp + fn)}, precision ${pct(flagHits, flagRaised)}`);

console.log('\nhuman share per intent:');
const perIntent = [...intents].map((intent) => {
  const of = judged.filter((j) => j.intent === intent);
  return { intent, n: of.length, human: of.filter((j) => j.human).length };
});
for (const { intent, n, human } of perIntent.sort((a, b) => b.human / b.n - a.human / a.n || a.intent.localeCompare(b.intent))) {
  if (human === 0 && !FRAUD_OR_SECURITY_INTENTS.has(intent)) continue;
  console.log(`  ${intent.padEnd(40)} ${((100 * human) / n).toFixed(1).padStart(5)}%  (${human}/${n})${FRAUD_OR_SECURITY_INTENTS.has(intent) ? '  needs a person' : ''}`);
}
const silent = perIntent.filter((i) => i.human === 0 && !FRAUD_OR_SECURITY_INTENTS.has(i.intent)).length;
console.log(`  (${silent} routine intents send none to a person)`);

if (SHOW_MISSES) {
  for (const [title, wantHuman] of [['false negatives (a person was needed, the AI got it)', true], ['false positives (routine, sent to a person)', false]] as const) {
    console.log(`\n${title}:`);
    for (const j of judged.filter((x) => x.wantsHuman === wantHuman && x.human !== wantHuman)) {
      console.log(`  [${j.intent} ${j.reasons.join('+') || '-'} flags=${j.flags.join(',') || '-'}] ${j.text.replace(/\s+/g, ' ')}`);
    }
  }
}
