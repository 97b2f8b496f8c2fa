import type { Topic } from './types';

export const COMPLEXITY_FEATURES = ['length', 'questions', 'topics', 'technical', 'identifiers'] as const;
export type ComplexityFeature = (typeof COMPLEXITY_FEATURES)[number];

/**
 * How much each feature can add. No single feature reaches the 0.7 handoff threshold on its own:
 * a long message is not complex, a long message with three questions about two topics is.
 */
const WEIGHTS: Record<ComplexityFeature, number> = {
  length: 0.2,
  questions: 0.2,
  topics: 0.2,
  technical: 0.25,
  identifiers: 0.15,
};

/** Characters of body at which the length feature saturates (a long email, not a chat line). */
const LONG_MESSAGE_CHARS = 1500;
/** Questions beyond the first, saturating at this many more. */
const EXTRA_QUESTIONS_SATURATION = 3;
const EXTRA_TOPICS_SATURATION = 2;
const TECHNICAL_SATURATION = 3;
const EXTRA_IDENTIFIERS_SATURATION = 2;

/** Signals that cannot match without a digit; a message without one skips them (and identifiers). */
const TECHNICAL_SIGNALS_WITH_DIGITS: RegExp[] = [
  // One run of spaces either side of the ":" or "#": two optional runs in a row backtracked quadratically.
  /\b(?:error|err|code|status|exception|errno)\s*(?:[:#]\s*)?[a-z_]*[-_]?\d{2,}/gi,
  /\bHTTP\/?\s?[1-5]\d\d\b|\b(?:40[0-9]|5\d\d)\s+(?:error|not found|forbidden|bad gateway|unavailable|internal)/gi,
  /^\s*at\s+\S+\s+\(?[^)\s]+:\d+:\d+\)?/gm,
  /\bv?\d+\.\d+\.\d+(?:[-.]\w+)?\b/g,
  /\b(?:iOS|Android|Windows|macOS|Chrome|Firefox|Safari|Edge)\s*\d+/gi,
];
/** A constant like ERR_TIMEOUT or E-CONN; it cannot match without "_" or "-", which most messages lack. */
const CONSTANT_NAME = /\b[A-Z]{2,}[_-][A-Z0-9_]{2,}\b/g;
const DIGIT = /\d/;
/** Every identifier form ends in four digits in a row; most messages have none and skip the regex. */
const FOUR_DIGITS = /\d{4}/;
/**
 * Either case of each ASCII letter, spelled out: without the `i` flag V8 scans this regex in half the
 * time, and for ASCII letters `i` means exactly this (no other character folds to one without `u`).
 */
const anyCase = (source: string) => source.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
/**
 * Error names in any case and acronyms as written, in one scan instead of two (a third cheaper). Every
 * match is a whole word or phrase and no word is in both lists, so the matches are those of the two apart.
 */
const ERROR_NAMES = anyCase('Traceback|Exception|NullPointer|TypeError|ReferenceError|stack ?trace|segfault|core dump');
const TECHNICAL_TERMS = new RegExp(`\\b(?:${ERROR_NAMES}|API|SDK|webhook|OAuth|SSO|SAML|DNS|SMTP|TLS|SSL|JSON|XML|CSV|endpoint|token)\\b`, 'g');
const ID_WORDS = anyCase('order|commande|pedido|bestellung|encomenda|invoice|account|ticket|case');
const ID_NUMBER_WORDS = `${anyCase('no')}\\.?|${anyCase('number')}|${anyCase('nr')}\\.?|${anyCase('n')}[°º]|#`;
const IDENTIFIER = new RegExp(`(?:#\\s?\\d{4,}|\\b[A-Za-z]{1,4}-?\\d{4,}\\b|\\b(?:${ID_WORDS})\\s*(?:${ID_NUMBER_WORDS})?\\s*:?\\s*[A-Za-z0-9-]*\\d{4,}[A-Za-z0-9-]*)`, 'g');

export interface ComplexityResult {
  complexity: number;
  /** What each feature added to the total, for explainability. */
  features: Record<ComplexityFeature, number>;
}

const saturate = (value: number, at: number) => Math.min(1, Math.max(0, value) / at);

/** Complexity in [0, 1] from length, distinct questions, topics, technical detail and identifiers. */
export function scoreComplexity(body: string, topics: readonly Topic[]): ComplexityResult {
  const questions = distinctQuestions(body);
  const distinctTopics = topics.filter((t) => t !== 'general').length;
  const digits = DIGIT.test(body);
  let technicalSignals = body.includes('-') || body.includes('_') ? (body.match(CONSTANT_NAME)?.length ?? 0) : 0;
  technicalSignals += body.match(TECHNICAL_TERMS)?.length ?? 0;
  if (digits) for (const signal of TECHNICAL_SIGNALS_WITH_DIGITS) technicalSignals += body.match(signal)?.length ?? 0;
  const identifiers = digits && FOUR_DIGITS.test(body) ? new Set((body.match(IDENTIFIER) ?? []).map((id) => id.replace(/\D/g, ''))).size : 0;

  const features: Record<ComplexityFeature, number> = {
    length: WEIGHTS.length * saturate(body.length, LONG_MESSAGE_CHARS),
    questions: WEIGHTS.questions * saturate(questions - 1, EXTRA_QUESTIONS_SATURATION),
    topics: WEIGHTS.topics * saturate(distinctTopics - 1, EXTRA_TOPICS_SATURATION),
    technical: WEIGHTS.technical * saturate(technicalSignals, TECHNICAL_SATURATION),
    identifiers: WEIGHTS.identifiers * saturate(identifiers - 1, EXTRA_IDENTIFIERS_SATURATION),
  };
  let complexity = 0;
  for (const feature of COMPLEXITY_FEATURES) complexity += features[feature];
  return { complexity: Math.min(1, complexity), features };
}

const SENTENCE_ENDS = ['.', '!', '\n'];

/**
 * Distinct sentences ending in "?", each from the last ".", "!", newline or "?" before it. Native
 * searches that only move forward: a regex here backtracks quadratically, and a loop over every
 * character costs more than the rest of the scoring of a long message.
 */
function distinctQuestions(body: string): number {
  let end = body.indexOf('?');
  if (end === -1) return 0;
  const seen = new Set<string>();
  const next = SENTENCE_ENDS.map((c) => body.indexOf(c));
  let start = 0;
  for (; end !== -1; end = body.indexOf('?', end + 1)) {
    for (let k = 0; k < next.length; k++) {
      while (next[k] !== -1 && next[k] < end) {
        start = Math.max(start, next[k] + 1);
        next[k] = body.indexOf(SENTENCE_ENDS[k], next[k] + 1);
      }
    }
    const question = body.slice(start, end).trim().toLowerCase();
    if (question) seen.add(question);
    start = end + 1;
  }
  return seen.size;
}
