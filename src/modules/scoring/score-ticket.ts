import { scoreComplexity } from './complexity';
import { detectDissatisfaction, detectFlags, detectTopics, requestNegated } from './flags';
import { FLAG_MODEL_LANGUAGES, flagModelOdds, MODEL_FLAGS, MODEL_THRESHOLDS } from './flag-models';
import { detectLanguage } from './language';
import { fold, joinSubjectAndBody, normalise, normaliseFolded } from './normalise';
import { scoreSentiment } from './sentiment';
import type { Evidence, Flag, ScoreInput, TicketScore } from './types';

/** Stored with each decision; bump it whenever a lexicon, weight or threshold changes. */
export const SCORER_VERSION = 'scorer-2026.11.26';

/**
 * Flags that stay raised for the rest of a thread: once a customer has mentioned self-harm, a lawyer
 * or a hacked account, a later "ok thanks" must not send the ticket back to the AI.
 */
const STICKY_FLAGS: ReadonlySet<Flag> = new Set(['safety', 'legal_threat', 'fraud_or_security', 'bereavement_or_health', 'privacy_request']);

/**
 * Scores one customer message (subject, body and the earlier messages of its thread) for routing.
 * Pure and deterministic: the same input always yields the same score.
 */
export function scoreTicket(input: ScoreInput): TicketScore {
  const text = joinSubjectAndBody(input.subject, input.body);
  const folded = fold(text);
  const normalised = normaliseFolded(folded);
  const language = detectLanguage(text, folded);
  const { flags, evidence } = flagsOf(normalised, language);

  const history = input.history ?? [];
  for (const message of history) {
    if (message.author !== 'customer') continue;
    // Read in the language of the latest message: detecting each earlier one's would cost more than the models.
    const earlier = flagsOf(normalise(message.body), language);
    earlier.flags.forEach((flag, i) => {
      if (STICKY_FLAGS.has(flag) && !flags.includes(flag)) {
        flags.push(flag);
        evidence.push(earlier.evidence[i]);
      }
    });
  }

  // Dissatisfaction is about a previous answer, so it needs one in the thread to refer to.
  const answered = history.some((m) => m.author !== 'customer');
  const dissatisfaction: Evidence | undefined = answered ? detectDissatisfaction(normalise(input.body)) : undefined;
  if (dissatisfaction) evidence.push(dissatisfaction);

  const topics = detectTopics(normalised, flags);
  const { complexity, features } = scoreComplexity(text, topics);
  const complexityFeatures: Record<string, number> = {};
  for (const feature in features) complexityFeatures[feature] = round(features[feature as keyof typeof features]);
  return {
    sentiment: round(scoreSentiment(text, language, folded)),
    complexity: round(complexity),
    flags: orderFlags(flags),
    topics,
    language,
    dissatisfied: dissatisfaction !== undefined,
    evidence,
    complexityFeatures,
    scorerVersion: SCORER_VERSION,
  };
}

/**
 * The lexicon's flags of one message, and the models' where no entry of their flag matched: customers put
 * these in more wordings than a phrase list holds. A model cannot read a negation, so where the request
 * entries matched only negated ("no need to call me") the request model reads only the sentences without such
 * a match: the customer has said no to a person there, and may still ask for one in another sentence. The
 * other flags' negation cues ("schon", "already") say nothing against a model's reading, so they do not stop it.
 */
function flagsOf(normalised: string, language: string): { flags: Flag[]; evidence: Evidence[] } {
  const { flags, evidence, negated } = detectFlags(normalised);
  if (!FLAG_MODEL_LANGUAGES.has(language)) return { flags, evidence };
  const odds = flagModelOdds(normalised);
  if (negated.includes('human_requested')) odds[REQUEST] = requestOddsOutsideRefusals(normalised);
  MODEL_FLAGS.forEach((flag, m) => {
    if (odds[m] < MODEL_THRESHOLDS[flag] || flags.includes(flag)) return;
    flags.push(flag);
    evidence.push({ flag, match: `${flag}/model` });
  });
  return { flags, evidence };
}

const REQUEST = MODEL_FLAGS.indexOf('human_requested');
const SENTENCE_END = /[.!?;\n]+/;

/** The request model's odds over the sentences in which no request entry matched only negated; 0 if none is left. */
function requestOddsOutsideRefusals(normalised: string): number {
  const kept = normalised.split(SENTENCE_END).filter((sentence) => !requestNegated(sentence));
  return kept.length === 0 ? 0 : flagModelOdds(kept.join(' . '))[REQUEST];
}

function orderFlags(flags: Flag[]): Flag[] {
  return [...new Set(flags)];
}

/** Four decimals keep scores stable across platforms and readable in stored decisions. */
function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
