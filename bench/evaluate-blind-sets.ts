/**
 * The routing card's blind-set rows in one run: `npx tsx bench/evaluate-blind-sets.ts [--policy <file>]`.
 * Prints each set's confusion under the default policy (or a saved `GET /v1/policies/{version}`), grouped by
 * how the set may be used (bench/blind-sets.ts): held out and untouched sets are measured only, in aggregate;
 * development sets were read or trained on, so their figures say little about unseen text. Never prints a
 * message: use `evaluate-labelled-set.ts --misses` on a development set for those.
 */
import { scoreTicket } from '../src/modules/scoring';
import { decideRoute } from '../src/modules/routing/routing-policy';
import { BLIND_SETS, loadBlindSet, type BlindRow } from './blind-sets';
import { PLAIN_CUSTOMER, pct, policyFromArgs } from './routing-figures';

const GROUPS: { name: string; sets: string[] }[] = [
  { name: 'untouched', sets: BLIND_SETS.untouched },
  { name: 'held out', sets: BLIND_SETS.heldOut },
  { name: 'development (tuned or trained on)', sets: BLIND_SETS.development },
];
const policy = policyFromArgs();

function confusion(rows: BlindRow[]) {
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
    const c = confusion(loadBlindSet(set));
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += c[k];
    console.log(line(set, c));
  }
  if (group.sets.length > 1) console.log(line('all', total));
}
