/**
 * The routing card's blind-set rows in one run: `npx tsx bench/evaluate-blind-sets.ts [--policy <file>]`.
 * Prints each set's confusion under the default policy (or a saved `GET /v1/policies/{version}`), grouped by
 * how the set may be used (bench/routing-sets/README.md): held out and untouched sets are measured only, in
 * aggregate; development sets were read or trained on, so their figures say little about unseen text.
 * Never prints a message: use `evaluate-labelled-set.ts --misses` on a development set for those.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyOf } from '../src/modules/policies/policy-document';
import { scoreTicket } from '../src/modules/scoring';
import { decideRoute, DEFAULT_POLICY, type RoutingPolicy } from '../src/modules/routing/routing-policy';
import { PLAIN_CUSTOMER, pct } from './routing-figures';

/** Keep in step with bench/routing-sets/README.md and the `measured` sets of bench/train-flag-models.ts. */
const GROUPS: { name: string; sets: string[] }[] = [
  { name: 'untouched', sets: ['v'] },
  { name: 'held out', sets: ['b', 'd', 'e', 'f', 'g', 'h', 'm', 'u', 'w', 'x', 'y', 'z', 'aa', 'ab', 'ac'] },
  { name: 'development (tuned or trained on)', sets: ['a', 'c', 'i', 'j', 'k', 'l', 'n', 'o', 'p', 'q', 'r', 's', 't'] },
];

interface Row {
  subject?: string;
  text: string;
  needsHuman: boolean;
}

// As in evaluate-routing-card.ts: the file holds what `GET /v1/policies/{version}` answers.
const policyFile = process.argv[process.argv.indexOf('--policy') + 1];
const policy: RoutingPolicy = process.argv.includes('--policy')
  ? (({ version, policy: document }: { version: string; policy: unknown }) => policyOf(version, document))(JSON.parse(readFileSync(policyFile, 'utf8')))
  : DEFAULT_POLICY;

function confusion(rows: Row[]) {
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const row of rows) {
    const human = decideRoute(scoreTicket({ subject: row.subject, body: row.text }), PLAIN_CUSTOMER, policy).route === 'human';
    if (human) row.needsHuman ? c.tp++ : c.fp++;
    else row.needsHuman ? c.fn++ : c.tn++;
  }
  return c;
}

const line = (label: string, c: ReturnType<typeof confusion>) =>
  `  ${label.padEnd(10)} recall ${pct(c.tp, c.tp + c.fn).padEnd(20)} precision ${pct(c.tp, c.tp + c.fp).padEnd(20)} AI share of routine ${pct(c.tn, c.tn + c.fp).padEnd(20)} TP ${c.tp}, FP ${c.fp}, FN ${c.fn}, TN ${c.tn}`;

console.log(`policy ${policy.version}`);
for (const group of GROUPS) {
  console.log(`\n${group.name}`);
  const total = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const set of group.sets) {
    const c = confusion(JSON.parse(readFileSync(join(__dirname, 'routing-sets', `blind-${set}.json`), 'utf8')) as Row[]);
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += c[k];
    console.log(line(set, c));
  }
  if (group.sets.length > 1) console.log(line('all', total));
}
