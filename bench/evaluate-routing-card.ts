/**
 * The figures of docs/routing-card.md: `npx tsx bench/evaluate-routing-card.ts` (add `--misses` for
 * examples of each kind of error, `--policy <file>` to judge another version: the file holds what
 * `GET /v1/policies/{version}` answers). The policy (DEFAULT_POLICY unless given) on the project's own
 * labelled set and on the public Bitext sample: precision and recall of "needs a human", the AI's share
 * of routine questions, agreement of the scorer's sentiment sign with the labels that stand in for
 * sentiment (neither data set labels sentiment itself), and which reasons the errors come from.
 */
import { scoreTicket } from '../src/modules/scoring';
import labelled from '../src/modules/scoring/labelled-messages.json';
import { decideRoute } from '../src/modules/routing/routing-policy';
import { loadBitext, NEEDS_HUMAN, ROUTINE } from './bitext';
import { PLAIN_CUSTOMER, pct, policyFromArgs } from './routing-figures';

const SHOW_MISSES = process.argv.includes('--misses');
const POLICY = policyFromArgs();

interface Judged {
  text: string;
  wantsHuman: boolean;
  human: boolean;
  sentiment: number;
  reasons: string[];
}

function judge(text: string, wantsHuman: boolean, subject?: string): Judged {
  const score = scoreTicket({ subject, body: text });
  const decision = decideRoute(score, PLAIN_CUSTOMER, POLICY);
  return { text, wantsHuman, human: decision.route === 'human', sentiment: score.sentiment, reasons: decision.reasons.map((r) => r.code) };
}


function confusion(title: string, rows: Judged[]) {
  const tp = rows.filter((r) => r.human && r.wantsHuman).length;
  const fp = rows.filter((r) => r.human && !r.wantsHuman).length;
  const fn = rows.filter((r) => !r.human && r.wantsHuman).length;
  const tn = rows.filter((r) => !r.human && !r.wantsHuman).length;
  console.log(`\n## ${title} (${rows.length} messages)`);
  console.log(`needs-a-human precision: ${pct(tp, tp + fp)}`);
  console.log(`needs-a-human recall:    ${pct(tp, tp + fn)}`);
  console.log(`confusion: TP ${tp}, FP ${fp}, FN ${fn}, TN ${tn}`);
  const fpReasons = new Map<string, number>();
  for (const r of rows.filter((x) => x.human && !x.wantsHuman)) for (const c of r.reasons) fpReasons.set(c, (fpReasons.get(c) ?? 0) + 1);
  if (fpReasons.size) console.log(`false positives by reason: ${[...fpReasons].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}`);
}

/** How often the sentiment sign agrees with a label that implies one. */
function agreement(label: string, rows: Judged[], expect: 'negative' | 'non-negative') {
  const agree = rows.filter((r) => (expect === 'negative' ? r.sentiment < 0 : r.sentiment >= 0)).length;
  const mean = rows.reduce((s, r) => s + r.sentiment, 0) / (rows.length || 1);
  console.log(`  ${label.padEnd(46)} expected ${expect.padEnd(12)} agree ${pct(agree, rows.length).padEnd(20)} mean ${mean.toFixed(2)}`);
}

function misses(title: string, rows: Judged[], n = 8) {
  if (!SHOW_MISSES || rows.length === 0) return;
  console.log(`\n${title}:`);
  for (const r of rows.slice(0, n)) console.log(`  [${r.sentiment.toFixed(2)} ${r.reasons.join('+')}] ${r.text}`);
}

console.log(`policy ${POLICY.version}`);

// 1. The project's own labelled set: needsHuman and flags were labelled by hand, in nine languages.
const own = (labelled as { text: string; subject?: string; language: string; needsHuman: boolean; flags: string[] }[]).map((row) => ({
  row,
  judged: judge(row.text, row.needsHuman, row.subject),
}));
confusion('labelled-messages.json', own.map((o) => o.judged));
const ownRoutine = own.filter((o) => !o.row.needsHuman);
console.log(`AI share of routine messages: ${pct(ownRoutine.filter((o) => !o.judged.human).length, ownRoutine.length)}`);
console.log('sentiment sign against labels that imply one:');
agreement('flag complaint', own.filter((o) => o.row.flags.includes('complaint')).map((o) => o.judged), 'negative');
agreement('routine (needsHuman false, no flags)', own.filter((o) => !o.row.needsHuman && o.row.flags.length === 0).map((o) => o.judged), 'non-negative');
misses('labelled: false negatives', own.filter((o) => o.row.needsHuman && !o.judged.human).map((o) => o.judged));
misses('labelled: false positives', own.filter((o) => !o.row.needsHuman && o.judged.human).map((o) => o.judged));
misses('labelled: complaints read as non-negative', own.filter((o) => o.row.flags.includes('complaint') && o.judged.sentiment >= 0).map((o) => o.judged));

// 2. Bitext: intents contact_human_agent and complaint need a person, every other intent does not.
const bitext = loadBitext().map((row) => ({ row, judged: judge(row.utterance, NEEDS_HUMAN.has(row.intent)) }));
confusion('Bitext customer support', bitext.map((b) => b.judged));
const routine = bitext.filter((b) => ROUTINE.test(b.row.intent));
console.log(`AI share of routine intents: ${pct(routine.filter((b) => !b.judged.human).length, routine.length)}`);
const sensitiveFp = bitext.filter((b) => b.judged.human && !b.judged.wantsHuman && b.judged.reasons.includes('SENSITIVE_TOPIC')).length;
const fp = bitext.filter((b) => b.judged.human && !b.judged.wantsHuman).length;
console.log(`false positives sent for a sensitive topic (e.g. "my account was hacked"): ${pct(sensitiveFp, fp)}`);
const fpIntents = new Map<string, number>();
for (const b of bitext.filter((x) => x.judged.human && !x.judged.wantsHuman)) fpIntents.set(b.row.intent, (fpIntents.get(b.row.intent) ?? 0) + 1);
console.log(`false positives by intent: ${[...fpIntents].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([i, n]) => `${i} ${n}`).join(', ')}`);
console.log('sentiment sign against labels that imply one:');
agreement('intent complaint', bitext.filter((b) => b.row.intent === 'complaint').map((b) => b.judged), 'negative');
agreement('Bitext flag W (offensive language)', bitext.filter((b) => b.row.flags.includes('W')).map((b) => b.judged), 'negative');
agreement('routine intents', routine.map((b) => b.judged), 'non-negative');
misses('Bitext: false negatives', bitext.filter((b) => b.judged.wantsHuman && !b.judged.human).map((b) => b.judged));
misses('Bitext: false positives on routine intents', routine.filter((b) => b.judged.human).map((b) => b.judged));
misses('Bitext: complaints read as non-negative', bitext.filter((b) => b.row.intent === 'complaint' && b.judged.sentiment >= 0).map((b) => b.judged));
misses('Bitext: routine read as negative', routine.filter((b) => b.judged.sentiment < 0).map((b) => b.judged));
