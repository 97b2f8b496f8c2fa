import type { Evidence, Flag, Topic } from './types';
import { FLAGS, TOPICS } from './types';
import flagLexicon from './lexicons/flags.json';
import negation from './lexicons/negation.json';
import topicLexicon from './lexicons/topics.json';
import { Speller, wordsOfPatterns } from './spelling';
import { matchAtStarts, requirementOf, satisfied, satisfiedIndices, startWordsOf, wordPrefixes, type Requirement, type StartWords, type WordPrefixes } from './required-words';

type Languages = Record<string, string[]>;

interface Entry {
  /** Where the pattern lives in the lexicon, e.g. "human_requested/es/2"; evidence never quotes the customer. */
  id: string;
}

interface CompiledLexicon {
  /** Per entry, in lexicon order: the entry, how to find its matches and what it cannot match without. */
  entries: Entry[];
  matchers: Matcher[];
  requirements: Requirement[];
  negatable: boolean;
}

/**
 * An entry's regex and the words a match can begin with, when the pattern tells: then the regex is sticky
 * and tried only where those words start; otherwise it scans.
 */
interface Matcher {
  regex: RegExp;
  starts: StartWords | undefined;
}

const FRAGMENT = /\{([A-Z_]+)\}/g;
const fragments = flagLexicon.fragments as Record<string, string>;

function expand(source: string): string {
  return source.replace(FRAGMENT, (_, name: string) => {
    const fragment = fragments[name];
    if (fragment === undefined) throw new Error(`Unknown lexicon fragment {${name}}`);
    return fragment;
  });
}

function patternsOf(byLanguage: Languages): { language: string; index: number; pattern: string }[] {
  return Object.entries(byLanguage).flatMap(([language, list]) => (Array.isArray(list) ? list.map((pattern, index) => ({ language, index, pattern: expand(pattern) })) : []));
}

/**
 * One regex per lexicon entry, compiled once. Each message can match a different few entries, and a
 * regex over just those (one per combination seen) cost a compilation for almost every new message.
 */
function matcherOf(pattern: string): Matcher {
  const starts = startWordsOf(pattern);
  return { regex: new RegExp(`\\b(?:${pattern})(?![a-z0-9])`, starts ? 'y' : 'g'), starts };
}

function compile(name: string, byLanguage: Languages, negatable: boolean): CompiledLexicon {
  const patterns = patternsOf(byLanguage);
  return {
    entries: patterns.map(({ language, index }) => ({ id: `${name}/${language}/${index}` })),
    matchers: patterns.map(({ pattern }) => matcherOf(pattern)),
    requirements: patterns.map(({ pattern }) => requirementOf(pattern)),
    negatable,
  };
}

const NEGATABLE = new Set<string>(negation.negatable);
const FLAG_LEXICONS = FLAGS.map((flag) => ({
  flag,
  lexicon: compile(flag, (flagLexicon.flags as Record<string, Languages>)[flag] ?? {}, NEGATABLE.has(flag)),
}));
const DISSATISFIED = compile('dissatisfied', flagLexicon.dissatisfied as Languages, false);
/** A bare "agent please": the whole message is the request, so the entries are one anchored regex. */
const WHOLE_MESSAGE_HUMAN = new RegExp(`^(?:${patternsOf({ any: flagLexicon.wholeMessage.human_requested }).map(({ pattern }) => `(?:${pattern})`).join('|')})$`);
const WHOLE_MESSAGE_HUMAN_ENTRY: Entry = { id: 'human_requested/whole/any/0' };
/** Only very short messages can be a bare "agent please"; longer ones mention agents in passing. */
const WHOLE_MESSAGE_MAX_CHARS = 60;
/**
 * A chat line that asks for a person with a typo ("can i tlak to a real persn") is read again with the
 * words of the request lexicon spelled right. Only chat-length messages: they are where such typos come
 * from, and where nothing else in the text would catch the request.
 */
const SPELLING_MAX_CHARS = 280;
const HUMAN_REQUEST_LEXICON = FLAG_LEXICONS.find(({ flag }) => flag === 'human_requested')!.lexicon;
const HUMAN_REQUEST_SPELLER = new Speller(
  wordsOfPatterns([...patternsOf((flagLexicon.flags as Record<string, Languages>).human_requested).map(({ pattern }) => pattern), ...flagLexicon.wholeMessage.human_requested]),
);
/**
 * A regex per line of a topic (one language each): a line's required words rule it out far more often
 * than the whole topic's do, and a topic is mentioned when any of its lines matches.
 */
const TOPIC_LEXICONS = TOPICS.filter((t) => t !== 'general').map((topic) => ({
  topic,
  lines: ((topicLexicon as unknown as Record<string, string[]>)[topic] ?? []).map((source) => ({
    matcher: matcherOf(source),
    requirement: requirementOf(source),
  })),
}));

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const CUE = new RegExp(`(?:^|[^a-z0-9'])(?:${negation.cues.map(escape).join('|')})(?![a-z0-9'])|(?:^|[^a-z0-9])n'[a-z]`);
const INABILITY = new RegExp(`(?:^|[^a-z0-9'])(?:${negation.inability.map(escape).join('|')})(?![a-z0-9'])`);
const CLAUSE_BREAK = new RegExp(`[.,;:!?\\n()]|\\b(?:${negation.clauseBreaks.map(escape).join('|')})\\b`, 'g');
const WINDOW_CHARS = 60;

/**
 * True when a cue such as "no need", "don't" or "ne ... pas" sits within a few tokens before the
 * match and in the same clause ("no need for a human"). An inability word in the same window
 * ("I can't talk to a human") is a request, so it keeps the match.
 */
function isNegated(text: string, index: number): boolean {
  let before = text.slice(Math.max(0, index - WINDOW_CHARS), index);
  let lastBreak = -1;
  // exec in a loop rather than matchAll: no iterator, and no match kept but the last.
  CLAUSE_BREAK.lastIndex = 0;
  for (let m = CLAUSE_BREAK.exec(before); m !== null; m = CLAUSE_BREAK.exec(before)) lastBreak = m.index + m[0].length;
  if (lastBreak >= 0) before = before.slice(lastBreak);
  const window = before.trim().split(' ').slice(-negation.windowTokens).join(' ');
  if (window === '') return false;
  return CUE.test(window) && !INABILITY.test(window);
}

/** Per lexicon call: the kept entries' indices and where each one's next match begins; reused, since scoring is synchronous. */
const LARGEST = Math.max(DISSATISFIED.matchers.length, ...FLAG_LEXICONS.map(({ lexicon }) => lexicon.matchers.length));
const kept = new Int32Array(LARGEST);
const next = new Int32Array(LARGEST);

/** Whether the last `firstMatch` passed over a negated match ("I don't need to speak to anyone"). */
let negatedMatch = false;

/**
 * The entry the lexicon's entries as one alternation would find: the earliest match that is not negated,
 * the first entry in lexicon order at a tie, and after a negated match the search goes on from its end.
 * Only the entries whose required words the text has are run; each keeps its next match from `from` on.
 */
function firstMatch(text: string, lexicon: CompiledLexicon, prefixes: WordPrefixes): Entry | undefined {
  negatedMatch = false;
  const count = satisfiedIndices(lexicon.requirements, prefixes, kept);
  for (let k = 0; k < count; k++) next[k] = matchFrom(lexicon.matchers[kept[k]], text, prefixes, 0);
  for (;;) {
    let best = -1;
    let bestIndex = Infinity;
    for (let k = 0; k < count; k++) {
      if (next[k] !== -1 && next[k] < bestIndex) {
        best = k;
        bestIndex = next[k];
      }
    }
    if (best === -1) return undefined;
    if (!lexicon.negatable || !isNegated(text, bestIndex)) return lexicon.entries[kept[best]];
    negatedMatch = true;
    // The best entry's regex has not run since its match, so its lastIndex is still that match's end.
    const from = bestIndex + Math.max(1, lexicon.matchers[kept[best]].regex.lastIndex - bestIndex);
    for (let k = 0; k < count; k++) if (next[k] !== -1 && next[k] < from) next[k] = matchFrom(lexicon.matchers[kept[k]], text, prefixes, from);
  }
}

/**
 * Where the entry's first match at or after `from` begins, or -1; its end is then the regex's lastIndex.
 * Tried at each position where it can begin, or scanned for.
 */
function matchFrom({ regex, starts }: Matcher, text: string, prefixes: WordPrefixes, from: number): number {
  if (starts !== undefined) return matchAtStarts(regex, text, starts, prefixes, from);
  regex.lastIndex = from;
  return regex.exec(text)?.index ?? -1;
}

export interface FlagResult {
  flags: Flag[];
  evidence: Evidence[];
  /** Flags whose entries matched only where the customer negated them ("no need for a person"). */
  negated: Flag[];
}

/** Flags raised by normalised text, each with the lexicon entry that raised it. */
export function detectFlags(text: string): FlagResult {
  const flags: Flag[] = [];
  const evidence: Evidence[] = [];
  const negated: Flag[] = [];
  const prefixes = wordPrefixes(text);
  for (const { flag, lexicon } of FLAG_LEXICONS) {
    const entry = firstMatch(text, lexicon, prefixes) ?? (flag === 'human_requested' ? wholeMessageRequest(text) : undefined);
    if (entry) {
      flags.push(flag);
      evidence.push({ flag, match: entry.id });
    } else if (negatedMatch) {
      negated.push(flag);
    }
  }
  // Last, because it reads another text and so replaces the word prefixes the loop shares.
  if (!flags.includes('human_requested')) {
    const spelled = spelledRequest(text);
    if (spelled.entry) {
      flags.unshift('human_requested');
      evidence.unshift({ flag: 'human_requested', match: `${spelled.entry.id}~spelling` });
    } else if (spelled.negated && !negated.includes('human_requested')) {
      negated.push('human_requested');
    }
  }
  return { flags, evidence, negated };
}

/**
 * What the request entries find in a chat-length text once its request words are spelled right: the entry,
 * or whether they matched only negated. Nothing when the text is longer or has no word to correct.
 */
function spelledRequest(text: string): { entry: Entry | undefined; negated: boolean } {
  if (text.length > SPELLING_MAX_CHARS) return { entry: undefined, negated: false };
  const corrected = HUMAN_REQUEST_SPELLER.correct(text);
  if (corrected === text) return { entry: undefined, negated: false };
  const entry = firstMatch(corrected, HUMAN_REQUEST_LEXICON, wordPrefixes(corrected)) ?? wholeMessageRequest(corrected);
  return { entry, negated: !entry && negatedMatch };
}

/**
 * Whether the request entries matched the text only where the customer negated them: what
 * `detectFlags(text).negated.includes('human_requested')` says, without running the other eight lexicons.
 */
export function requestNegated(text: string): boolean {
  const entry = firstMatch(text, HUMAN_REQUEST_LEXICON, wordPrefixes(text)) ?? wholeMessageRequest(text);
  if (entry) return false;
  return negatedMatch || spelledRequest(text).negated;
}

function wholeMessageRequest(text: string): Entry | undefined {
  return text.length <= WHOLE_MESSAGE_MAX_CHARS && WHOLE_MESSAGE_HUMAN.test(text) ? WHOLE_MESSAGE_HUMAN_ENTRY : undefined;
}

/** The lexicon entry showing the customer found the previous answer unhelpful, if any. */
export function detectDissatisfaction(text: string): Evidence | undefined {
  const entry = firstMatch(text, DISSATISFIED, wordPrefixes(text));
  return entry ? { flag: 'dissatisfied', match: entry.id } : undefined;
}

/** Topics mentioned in normalised text; 'general' when none is. */
export function detectTopics(text: string, flags: readonly Flag[]): Topic[] {
  const topics = new Set<Topic>();
  const prefixes = wordPrefixes(text);
  for (const { topic, lines } of TOPIC_LEXICONS) {
    if (lines.some(({ matcher, requirement }) => satisfied(requirement, prefixes) && matchFrom(matcher, text, prefixes, 0) !== -1)) topics.add(topic);
  }
  // The flags are the strongest topic evidence there is; a legal threat is a legal matter whatever words it used.
  if (flags.includes('billing_dispute')) topics.add('billing');
  if (flags.includes('fraud_or_security')) topics.add('account');
  if (flags.includes('legal_threat')) topics.add('legal');
  if (flags.includes('privacy_request')) topics.add('privacy');
  if (topics.size === 0) topics.add('general');
  return TOPICS.filter((t) => topics.has(t));
}
