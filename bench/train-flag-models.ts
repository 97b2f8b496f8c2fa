/**
 * Trains the scorer's flag models: `npx tsx bench/train-flag-models.ts` writes one file per flag of
 * `MODEL_FLAGS` to src/modules/scoring/lexicons/flag-models/ and prints each model's out-of-fold figures per
 * source (`--thresholds` adds them at every log2 odds from 2 to 14; naming flags trains only those). Each model is a binarised naive Bayes:
 * `wink-naive-bayes-text-classifier` counts, per class, the examples holding each word and word pair of
 * `modelTokens`; the file keeps the class prior and each token's weight, its smoothed log-likelihood ratio by the
 * library's own formula, so the scorer sums them without the library's per-call work. The script checks that
 * those sums are the library's `computeOdds` on every example before it writes a file. Deterministic: each
 * model draws its samples and folds from its own seeded generator.
 *
 * Each model learns its flag against routine messages; rows that need a person for another reason teach it
 * neither way. The pools (bench/routing-sets/model-training/README.md):
 * - complaint: sets F–I (`scorer-2026.11.8`), Q–R (11.9) and S (11.10), the project's labelled messages, blind sets A
 *   and C and, since 11.22, blind sets I–L (session 19's development sets) and, since 11.23, N–T, and samples of Bitext's routine intents and of Banking77's routine train split, sized so English has
 *   about as many complaints per routine question as the other languages (more English routine rows taught the
 *   model that any Spanish or German word leans to "complaint"). Bitext's complaints are left out: generated
 *   from templates ("I'm unhappy with the service, file a claim"), they taught the model the template, and its
 *   "I'm happy with the service, can I submit a review?" went to people; the lexicon already finds 98.5 % of them.
 * - human_requested, safety and fraud_or_security (`scorer-2026.11.9`): sets J–M, written for them with
 *   routine questions in the same words, set N (routine questions in the words a first cut misread), sets O
 *   and P (safety reports across trades, and routine look-alikes), set T (11.10: all three, with routine
 *   look-alikes), the routine rows of sets F–I and Q–S (formal
 *   letters among them), the labelled messages, blind sets A, C, I–L and N–T, larger samples of the same routine
 *   questions, and for fraud_or_security a sample of Banking77's train questions about unrecognised payments
 *   and lost, stolen or compromised cards. Bitext's `contact_human_agent` rows are left out for the reason its
 *   complaints are: the lexicon finds 99 % of them, and their template taught the first cut that "human agent"
 *   in any sentence ("your human agent was great") is a request. A bereavement_or_health model was trained the
 *   same way and dropped: the lexicon finds 79 % of its examples, and out of fold it added 2 of the other 34.
 * Blind sets B, D–H, M and U to AC, the reviewers' routine sets and Banking77's test split are never trained on:
 * they measure the result (`measured` below).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import createClassifier from 'wink-naive-bayes-text-classifier';
import { MODEL_FLAGS, MODEL_THRESHOLDS, modelTokens, modelWords, type ModelFlag } from '../src/modules/scoring/flag-model-tokens';
import { detectFlags } from '../src/modules/scoring/flags';
import { joinSubjectAndBody, normalise } from '../src/modules/scoring/normalise';
import labelled from '../src/modules/scoring/labelled-messages.json';
import { loadBitext, ROUTINE } from './bitext';
import { FRAUD_OR_SECURITY_INTENTS, loadBanking77 } from './banking77';
import { BLIND_SETS, loadBlindSet } from './blind-sets';
import { mulberry32 } from './seeded-random';

const SETS = join(__dirname, 'routing-sets');
const OUT = join(__dirname, '..', 'src', 'modules', 'scoring', 'lexicons', 'flag-models');
const SMOOTHING = 0.5;
const FOLDS = 5;
/** Tokens seen fewer times than this across a pool carry only smoothing noise and are left out of the file. */
const MIN_COUNT = 2;
/**
 * Rows drawn from Bitext and Banking77 per model. The later models take 600 routine rows of each: with 150 of
 * Banking77's, the fraud model learnt that a bank's words lean to fraud (its routine questions about declined or
 * pending payments went to people: 95.7 % of its train split's routine questions stayed with the AI, 98.4 % now).
 */
const SAMPLE = {
  complaint: { bitextRoutine: 200, banking77Routine: 150 },
  later: { bitextRoutine: 600, banking77Routine: 600 },
};
const BANKING77_FRAUD = 150;
const SHOW_THRESHOLDS = process.argv.includes('--thresholds');
/** Flags named on the command line, or every model. */
const named = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const FLAGS_TO_TRAIN = MODEL_FLAGS.filter((flag) => named.length === 0 || named.includes(flag));

interface Example {
  text: string;
  flagged: boolean;
  source: string;
  language?: string;
}

function sample<T>(random: () => number, items: T[], n: number): T[] {
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
  language?: string;
  needsHuman: boolean;
  flags: string[];
}
/** Messages with the flag against routine messages; rows that need a person for another reason teach neither. */
function fromLabelled(rows: LabelledRow[], flag: ModelFlag, source: string): Example[] {
  return rows.flatMap((r): Example[] => {
    const text = joinSubjectAndBody(r.subject, r.text);
    if (r.flags.includes(flag)) return [{ text, flagged: true, source, language: r.language }];
    return r.needsHuman ? [] : [{ text, flagged: false, source, language: r.language }];
  });
}
const readJson = <T>(...path: string[]) => JSON.parse(readFileSync(join(SETS, ...path), 'utf8')) as T;
/** Sets labelled for complaints only, and sets labelled with every flag. */
const complaintSets = ['f', 'g', 'h', 'i', 'q', 'r', 's'].map((set) => ({ set, rows: readJson<{ text: string; language: string; complaint: boolean }[]>('model-training', `set-${set}.json`) }));
const flagSets = ['j', 'k', 'l', 'm', 'n', 'o', 'p', 't'].map((set) => ({ set, rows: readJson<LabelledRow[]>('model-training', `set-${set}.json`) }));
const developmentSets = BLIND_SETS.development.map((set) => ({ set, rows: loadBlindSet(set) }));
const bitext = loadBitext();
const banking77 = loadBanking77('train');

/**
 * The texts that measure the models (blind sets B, D–H, M and U to AC, the reviewers' routine sets, Banking77's test
 * split), by their words: a training row with the same words is left out, so that short common lines written
 * by more than one author ("agent", "how do I cancel my subscription") are never trained on either.
 */
const wordsOf = (text: string) => modelWords(normalise(text)).join(' ');
const measured = new Set<string>();
for (const set of [...BLIND_SETS.heldOut, ...BLIND_SETS.untouched]) {
  for (const r of loadBlindSet(set)) measured.add(wordsOf(r.text)).add(wordsOf(joinSubjectAndBody(r.subject, r.text)));
}
for (const file of ['routine-for-dropped-phrases.json', 'routine-for-the-complaint-model.json', 'routine-for-the-flag-models.json', 'routine-in-health-and-insurance-words.json']) {
  for (const r of readJson<(string | { text: string })[]>('reviews', file)) measured.add(wordsOf(typeof r === 'string' ? r : r.text));
}
for (const r of loadBanking77('test')) measured.add(wordsOf(r.text));

/**
 * The pool of one model, drawing its samples from `random` in a fixed order. A set labelled for complaints
 * only says nothing of the other flags, so its routine rows teach another model only where no entry of that
 * model's flag matches them ("There's a transaction on my account I don't recognise" is routine there); and
 * Bitext's `recover_password` rows, many of which say the account was hacked, do not teach the fraud model.
 */
function poolFor(flag: ModelFlag, random: () => number): Example[] {
  const samples = flag === 'complaint' ? SAMPLE.complaint : SAMPLE.later;
  const pool: Example[] = [];
  for (const { set, rows } of complaintSets) {
    for (const r of rows) {
      if (flag === 'complaint') pool.push({ text: r.text, flagged: r.complaint, source: `set-${set}`, language: r.language });
      else if (!r.complaint && !detectFlags(normalise(r.text)).flags.includes(flag)) pool.push({ text: r.text, flagged: false, source: `set-${set}`, language: r.language });
    }
  }
  if (flag !== 'complaint') for (const { set, rows } of flagSets) pool.push(...fromLabelled(rows, flag, `set-${set}`));
  pool.push(...fromLabelled(labelled as LabelledRow[], flag, 'labelled'));
  for (const { set, rows } of developmentSets) pool.push(...fromLabelled(rows, flag, `blind-${set}`));
  const bitextRoutine = bitext.filter((r) => ROUTINE.test(r.intent) && !(flag === 'fraud_or_security' && r.intent === 'recover_password'));
  for (const r of sample(random, bitextRoutine, samples.bitextRoutine)) pool.push({ text: r.utterance, flagged: false, source: 'bitext', language: 'en' });
  const routine = banking77.filter((r) => !FRAUD_OR_SECURITY_INTENTS.has(r.intent));
  for (const r of sample(random, routine, samples.banking77Routine)) pool.push({ text: r.text, flagged: false, source: 'banking77', language: 'en' });
  if (flag === 'fraud_or_security') {
    for (const r of sample(random, banking77.filter((r) => FRAUD_OR_SECURITY_INTENTS.has(r.intent)), BANKING77_FRAUD)) pool.push({ text: r.text, flagged: true, source: 'banking77', language: 'en' });
  }
  return pool.filter((e) => !measured.has(wordsOf(e.text)));
}

const prepare = (text: string) => modelTokens(normalise(text));
function train(examples: Example[]) {
  const classifier = createClassifier();
  classifier.definePrepTasks([prepare]);
  classifier.defineConfig({ considerOnlyPresence: true, smoothingFactor: SMOOTHING });
  for (const e of examples) classifier.learn(e.text, e.flagged ? 'flagged' : 'routine');
  classifier.consolidate();
  return classifier;
}
type Classifier = ReturnType<typeof train>;
interface Model {
  /** Training examples per class, for the file's record. */
  examples: { flagged: number; routine: number };
  prior: number;
  weights: Map<string, number>;
}

/**
 * The prior and each token's weight, from the classifier's counts by the formula of its `computeOdds` with two
 * classes: log2((n_f(t) + s) / (N_f + V·s)) − log2((n_r(t) + s) / (N_r + V·s)), where n is the examples of a
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
    if ((count.flagged[token] ?? 0) + (count.routine[token] ?? 0) < minCount) continue;
    weights.set(token, logLikelihood(token, 'flagged') - logLikelihood(token, 'routine'));
  }
  return { examples: { flagged: samples.flagged, routine: samples.routine }, prior: Math.log2(samples.flagged) - Math.log2(samples.routine), weights };
}

/** As the scorer sums it: the prior and the weights of the distinct tokens the model knows, or 0 if none. */
function oddsOf(model: Model, text: string): number {
  const known = prepare(text).filter((t) => model.weights.has(t));
  return known.length === 0 ? 0 : model.prior + known.reduce((sum, t) => sum + model.weights.get(t)!, 0);
}

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} % (${a}/${b})` : 'n/a');
function report(flag: ModelFlag, pool: Example[], outOfFold: number[], threshold: number) {
  const rows = pool.map((e, i) => ({ e, hit: outOfFold[i] >= threshold }));
  const line = (label: string, of: typeof rows) => {
    const flagged = of.filter(({ e }) => e.flagged);
    const routine = of.filter(({ e }) => !e.flagged);
    console.log(`  ${label.padEnd(10)} ${flag} found ${pct(flagged.filter((x) => x.hit).length, flagged.length).padEnd(20)} routine raised ${pct(routine.filter((x) => x.hit).length, routine.length)}`);
  };
  line('all', rows);
  for (const source of [...new Set(pool.map((e) => e.source))]) line(source, rows.filter(({ e }) => e.source === source));
  for (const language of ['en', 'es', 'fr', 'de', 'pt']) line(language, rows.filter(({ e }) => e.language === language));
}

const round = (x: number) => Math.round(x * 10000) / 10000;
/** A seed per model, so that training some of them leaves the others' files as they are. */
const SEEDS: Record<ModelFlag, number> = { complaint: 42, human_requested: 43, safety: 44, fraud_or_security: 45 };
for (const flag of FLAGS_TO_TRAIN) {
  const random = mulberry32(SEEDS[flag]);
  const pool = poolFor(flag, random);
  // Out-of-fold odds: each example judged by the exported model (as shipped) of a classifier that never saw it.
  const fold = pool.map(() => Math.floor(random() * FOLDS));
  const outOfFold = new Array<number>(pool.length);
  for (let k = 0; k < FOLDS; k++) {
    const model = exportModel(train(pool.filter((_, i) => fold[i] !== k)), MIN_COUNT);
    pool.forEach((e, i) => {
      if (fold[i] === k) outOfFold[i] = oddsOf(model, e.text);
    });
  }
  console.log(`${flag}: ${pool.length} examples, ${pool.filter((e) => e.flagged).length} flagged; out of fold at log2 odds ≥ ${MODEL_THRESHOLDS[flag]}:`);
  report(flag, pool, outOfFold, MODEL_THRESHOLDS[flag]);
  if (SHOW_THRESHOLDS) {
    // What the model adds to the phrase lexicon: the flagged rows no entry of the flag finds, and the routine
    // rows no entry of any flag raises.
    const lexicon = pool.map((e) => detectFlags(normalise(e.text)).flags);
    const missed = pool.map((e, i) => e.flagged && !lexicon[i].includes(flag));
    const quiet = pool.map((e, i) => !e.flagged && lexicon[i].length === 0);
    const count = (of: boolean[]) => of.filter(Boolean).length;
    console.log(`  the lexicon finds ${pct(count(pool.map((e, i) => e.flagged && !missed[i])), count(pool.map((e) => e.flagged)))} and raises a flag on ${pct(count(pool.map((e, i) => !e.flagged && !quiet[i])), count(pool.map((e) => !e.flagged)))} routine rows`);
    for (let threshold = 2; threshold <= 14; threshold++) {
      const hit = outOfFold.map((odds) => odds >= threshold);
      console.log(
        `    at ${String(threshold).padStart(2)}: found ${pct(count(pool.map((e, i) => e.flagged && hit[i])), count(pool.map((e) => e.flagged))).padEnd(20)} routine raised ${pct(count(pool.map((e, i) => !e.flagged && hit[i])), count(pool.map((e) => !e.flagged))).padEnd(18)}` +
          ` | of the lexicon's misses found ${pct(count(missed.map((m, i) => m && hit[i])), count(missed)).padEnd(20)} routine raised where it raised nothing ${count(quiet.map((q, i) => q && hit[i]))}`,
      );
    }
  }

  const classifier = train(pool);
  // The formula must be the library's: with every token kept, the sums equal its computeOdds on every example.
  const everyToken = exportModel(classifier, 1);
  for (const e of pool) {
    const library = classifier.computeOdds(e.text).find(([label]) => label === 'flagged')?.[1] ?? 0;
    if (Math.abs(library - oddsOf(everyToken, e.text)) > 1e-6) throw new Error(`${flag}: exported weights disagree with computeOdds on: ${e.text}`);
  }
  const model = exportModel(classifier, MIN_COUNT);
  const file = join(OUT, `${flag}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        _comment: 'Written by `npx tsx bench/train-flag-models.ts` from wink-naive-bayes-text-classifier; do not edit by hand.',
        examples: model.examples,
        prior: round(model.prior),
        weights: Object.fromEntries([...model.weights].map(([token, weight]) => [token, round(weight)])),
      },
      null,
      1,
    )}\n`,
  );
  console.log(`  wrote ${file}: ${model.weights.size} of ${everyToken.weights.size} tokens (seen at least ${MIN_COUNT} times)\n`);
}
