/**
 * Trains the complaint model of the scorer: `npx tsx bench/train-complaint-model.ts` writes
 * src/modules/scoring/lexicons/complaint-model.json and prints out-of-fold figures per source.
 * `wink-naive-bayes-text-classifier` counts, per class, the examples holding each word and word pair of
 * `complaintTokens` (a binarised naive Bayes); the file keeps the class prior and each token's weight, its
 * smoothed log-likelihood ratio by the library's own formula, so the scorer sums them without the library's
 * per-call work. The script checks that those sums are the library's `computeOdds` on every example before it
 * writes the file. Deterministic: fixed samples and folds.
 *
 * Training pool (bench/routing-sets/complaint-training/README.md): the four complaint-training sets,
 * the project's labelled messages and blind sets A and C (rows labelled `complaint` against routine
 * rows), and samples of Bitext's routine intents and of Banking77's routine train split, sized so English
 * has about as many complaints per routine question as the other languages (more English routine rows
 * taught the model that any Spanish or German word leans to "complaint"). Bitext's complaints are left
 * out: generated from templates ("I'm unhappy with the service, file a claim"), they taught the model
 * the template, and its "I'm happy with the service, can I submit a review?" went to people; the
 * lexicon already finds 98.5 % of them.
 * Blind sets B, D and E and Banking77's test split are never trained on: they measure the result.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import createClassifier from 'wink-naive-bayes-text-classifier';
import { complaintTokens, COMPLAINT_ODDS_THRESHOLD } from '../src/modules/scoring/complaint-tokens';
import { joinSubjectAndBody, normalise } from '../src/modules/scoring/normalise';
import labelled from '../src/modules/scoring/labelled-messages.json';
import { loadBitext, ROUTINE } from './bitext';
import { parseCsv } from './csv';
import { FRAUD_OR_SECURITY_INTENTS } from './banking77-intents';

const SETS = join(__dirname, 'routing-sets');
const OUT = join(__dirname, '..', 'src', 'modules', 'scoring', 'lexicons', 'complaint-model.json');
const SMOOTHING = 0.5;
const FOLDS = 5;
/** Tokens seen fewer times than this across the pool carry only smoothing noise and are left out of the file. */
const MIN_COUNT = 2;
const SAMPLE = { bitextRoutine: 200, banking77Routine: 150 };

interface Example {
  text: string;
  complaint: boolean;
  source: string;
}

function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(42);
function sample<T>(items: T[], n: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

interface LabelledRow {
  subject?: string;
  text: string;
  needsHuman: boolean;
  flags: string[];
}
/** Complaints against routine questions; rows that need a person for another reason teach neither. */
function fromLabelled(rows: LabelledRow[], source: string): Example[] {
  return rows.flatMap((r): Example[] => {
    const text = joinSubjectAndBody(r.subject, r.text);
    if (r.flags.includes('complaint')) return [{ text, complaint: true, source }];
    return r.needsHuman ? [] : [{ text, complaint: false, source }];
  });
}
const readJson = <T>(...path: string[]) => JSON.parse(readFileSync(join(SETS, ...path), 'utf8')) as T;

const pool: Example[] = [];
for (const set of ['f', 'g', 'h', 'i']) {
  for (const r of readJson<{ text: string; complaint: boolean }[]>('complaint-training', `set-${set}.json`)) pool.push({ text: r.text, complaint: r.complaint, source: `set-${set}` });
}
pool.push(...fromLabelled(labelled as LabelledRow[], 'labelled'), ...fromLabelled(readJson('blind-a.json'), 'blind-a'), ...fromLabelled(readJson('blind-c.json'), 'blind-c'));
const bitext = loadBitext();
for (const r of sample(bitext.filter((r) => ROUTINE.test(r.intent)), SAMPLE.bitextRoutine)) pool.push({ text: r.utterance, complaint: false, source: 'bitext' });
{
  const [header, ...rows] = parseCsv(readFileSync(join(SETS, 'banking77', 'train.csv'), 'utf8'));
  const routine = rows.filter((r) => !FRAUD_OR_SECURITY_INTENTS.has(r[header.indexOf('category')]));
  for (const r of sample(routine, SAMPLE.banking77Routine)) pool.push({ text: r[header.indexOf('text')], complaint: false, source: 'banking77' });
}

const prepare = (text: string) => complaintTokens(normalise(text));
function train(examples: Example[]) {
  const classifier = createClassifier();
  classifier.definePrepTasks([prepare]);
  classifier.defineConfig({ considerOnlyPresence: true, smoothingFactor: SMOOTHING });
  for (const e of examples) classifier.learn(e.text, e.complaint ? 'complaint' : 'routine');
  classifier.consolidate();
  return classifier;
}
type Classifier = ReturnType<typeof train>;
interface Model {
  /** Training examples per class, for the file's record. */
  examples: { complaint: number; routine: number };
  prior: number;
  weights: Map<string, number>;
}

/**
 * The prior and each token's weight, from the classifier's counts by the formula of its `computeOdds` with two
 * classes: log2((n_c(t) + s) / (N_c + V·s)) − log2((n_r(t) + s) / (N_r + V·s)), where n is the examples of a
 * class holding the token, N the tokens counted for the class and V the vocabulary. Tokens seen fewer than
 * `minCount` times are left out.
 */
function exportModel(classifier: Classifier, minCount: number): Model {
  const [, samples, count, words, vocabulary] = JSON.parse(classifier.exportJSON()) as [
    unknown,
    Record<string, number>,
    Record<string, Record<string, number>>,
    Record<string, number>,
    string[],
  ];
  const v = vocabulary.length;
  const logLikelihood = (token: string, label: string) => Math.log2((count[label][token] ?? 0) + SMOOTHING) - Math.log2(words[label] + v * SMOOTHING);
  const weights = new Map<string, number>();
  for (const token of [...vocabulary].sort()) {
    if ((count.complaint[token] ?? 0) + (count.routine[token] ?? 0) < minCount) continue;
    weights.set(token, logLikelihood(token, 'complaint') - logLikelihood(token, 'routine'));
  }
  return { examples: { complaint: samples.complaint, routine: samples.routine }, prior: Math.log2(samples.complaint) - Math.log2(samples.routine), weights };
}

/** As the scorer sums it: the prior and the weights of the distinct tokens the model knows, or 0 if none. */
function oddsOf(model: Model, text: string): number {
  const known = prepare(text).filter((t) => model.weights.has(t));
  return known.length === 0 ? 0 : model.prior + known.reduce((sum, t) => sum + model.weights.get(t)!, 0);
}

// Out-of-fold odds: each example judged by the exported model (as shipped) of a classifier that never saw it.
const fold = pool.map(() => Math.floor(random() * FOLDS));
const outOfFold = new Array<number>(pool.length);
for (let k = 0; k < FOLDS; k++) {
  const model = exportModel(train(pool.filter((_, i) => fold[i] !== k)), MIN_COUNT);
  pool.forEach((e, i) => {
    if (fold[i] === k) outOfFold[i] = oddsOf(model, e.text);
  });
}
console.log(`pool: ${pool.length} examples, ${pool.filter((e) => e.complaint).length} complaints; out of fold at log2 odds ≥ ${COMPLAINT_ODDS_THRESHOLD}:`);
for (const source of [...new Set(pool.map((e) => e.source))]) {
  const of = pool.map((e, i) => ({ e, hit: outOfFold[i] >= COMPLAINT_ODDS_THRESHOLD })).filter(({ e }) => e.source === source);
  const complaints = of.filter(({ e }) => e.complaint);
  const routine = of.filter(({ e }) => !e.complaint);
  const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} % (${a}/${b})` : 'n/a');
  console.log(`  ${source.padEnd(10)} complaints found ${pct(complaints.filter((x) => x.hit).length, complaints.length).padEnd(20)} routine read as complaints ${pct(routine.filter((x) => x.hit).length, routine.length)}`);
}

const classifier = train(pool);
// The formula must be the library's: with every token kept, the sums equal its computeOdds on every example.
const everyToken = exportModel(classifier, 1);
for (const e of pool) {
  const library = classifier.computeOdds(e.text).find(([label]) => label === 'complaint')?.[1] ?? 0;
  if (Math.abs(library - oddsOf(everyToken, e.text)) > 1e-6) throw new Error(`exported weights disagree with computeOdds on: ${e.text}`);
}
const model = exportModel(classifier, MIN_COUNT);
const round = (x: number) => Math.round(x * 10000) / 10000;
writeFileSync(
  OUT,
  `${JSON.stringify(
    {
      _comment: 'Written by `npx tsx bench/train-complaint-model.ts` from wink-naive-bayes-text-classifier; do not edit by hand.',
      examples: model.examples,
      prior: round(model.prior),
      weights: Object.fromEntries([...model.weights].map(([token, weight]) => [token, round(weight)])),
    },
    null,
    1,
  )}\n`,
);
console.log(`wrote ${OUT}: ${model.weights.size} of ${everyToken.weights.size} tokens (seen at least ${MIN_COUNT} times)`);
