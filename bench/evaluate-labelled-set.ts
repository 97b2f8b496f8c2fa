/**
 * Judges the default routing policy on a hand-labelled set in the format of
 * src/modules/scoring/labelled-messages.json (an optional `subject` per row is used too):
 * `npx tsx bench/evaluate-labelled-set.ts <file.json> [--misses]`.
 * Prints precision and recall of "needs a human", the AI's share of routine messages, per-language and
 * per-flag figures, and with --misses every routing error with its scores and reasons.
 */
import { readFileSync } from 'node:fs';
import { scoreTicket } from '../src/modules/scoring';
import { decideRoute, DEFAULT_POLICY } from '../src/modules/routing/routing-policy';
import { PLAIN_CUSTOMER, pct } from './routing-figures';

interface Row {
  subject?: string;
  text: string;
  language: string;
  needsHuman: boolean;
  flags: string[];
  why?: string;
}

const file = process.argv[2];
if (!file || file.startsWith('--')) {
  console.error('usage: npx tsx bench/evaluate-labelled-set.ts <file.json> [--misses]');
  process.exit(2);
}
const SHOW_MISSES = process.argv.includes('--misses');
const rows = JSON.parse(readFileSync(file, 'utf8')) as Row[];

const judged = rows.map((row) => {
  const score = scoreTicket({ subject: row.subject, body: row.text });
  const decision = decideRoute(score, PLAIN_CUSTOMER, DEFAULT_POLICY);
  return { row, score, human: decision.route === 'human', reasons: decision.reasons.map((r) => r.code) };
});

const tp = judged.filter((j) => j.human && j.row.needsHuman).length;
const fp = judged.filter((j) => j.human && !j.row.needsHuman).length;
const fn = judged.filter((j) => !j.human && j.row.needsHuman).length;
const tn = judged.filter((j) => !j.human && !j.row.needsHuman).length;
console.log(`${file}: ${rows.length} messages, policy ${DEFAULT_POLICY.version}`);
console.log(`needs-a-human precision ${pct(tp, tp + fp)}, recall ${pct(tp, tp + fn)}; AI share of routine ${pct(tn, tn + fp)}`);
console.log(`accuracy ${pct(tp + tn, rows.length)}; confusion TP ${tp}, FP ${fp}, FN ${fn}, TN ${tn}`);

console.log('\nby language: accuracy, detected as labelled');
const languages = [...new Set(rows.map((r) => r.language))].sort();
for (const language of languages) {
  const of = judged.filter((j) => j.row.language === language);
  const right = of.filter((j) => j.human === j.row.needsHuman).length;
  const detected = of.filter((j) => j.score.language === language).length;
  console.log(`  ${language.padEnd(4)} ${pct(right, of.length).padEnd(18)} ${pct(detected, of.length)}`);
}

console.log('\nflags: recall, precision');
const flagNames = [...new Set(rows.flatMap((r) => r.flags).concat(judged.flatMap((j) => j.score.flags)))].sort();
for (const flag of flagNames) {
  const labelled = judged.filter((j) => j.row.flags.includes(flag));
  const raised = judged.filter((j) => (j.score.flags as string[]).includes(flag));
  const both = labelled.filter((j) => (j.score.flags as string[]).includes(flag)).length;
  console.log(`  ${flag.padEnd(22)} ${pct(both, labelled.length).padEnd(18)} ${pct(both, raised.length)}`);
}

if (SHOW_MISSES) {
  for (const [title, wantHuman] of [['false negatives (a person was needed, the AI got it)', true], ['false positives (routine, sent to a person)', false]] as const) {
    console.log(`\n${title}:`);
    for (const j of judged.filter((x) => x.row.needsHuman === wantHuman && x.human !== wantHuman)) {
      const s = j.score;
      console.log(`  [${j.row.language}→${s.language} s=${s.sentiment.toFixed(2)} c=${s.complexity.toFixed(2)} ${j.reasons.join('+')} flags=${s.flags.join(',') || '-'} want=${j.row.flags.join(',') || '-'}] ${(j.row.subject ? `${j.row.subject} | ` : '') + j.row.text.replace(/\s+/g, ' ').slice(0, 300)}`);
    }
  }
}
