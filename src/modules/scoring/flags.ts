import type { Evidence, Flag, Topic } from './types';
import { FLAGS, TOPICS } from './types';
import flagLexicon from './lexicons/flags.json';
import negation from './lexicons/negation.json';
import topicLexicon from './lexicons/topics.json';
import { requirementOf, satisfied, satisfiedIndices, wordPrefixes, type Requirement, type WordPrefixes } from './required-words';

type Languages = Record<string, string[]>;

interface Entry {
  /** Where the pattern lives in the lexicon, e.g. "human_requested/es/2"; evidence never quotes the customer. */
  id: string;
}

interface Scanner {
  regex: RegExp;
  entries: Entry[];
}

interface CompiledLexicon {
  /** Expanded pattern and what it cannot match without, per entry, in lexicon order. */
  patterns: string[];
  requirements: Requirement[];
  anchored: boolean;
  negatable: boolean;
  full: Scanner;
  /** Scanners over the entries a message can match, by entry indices; bounded, so memory stays flat. */
  subsets: Map<string, Scanner>;
}

const MAX_SUBSETS = 512;

const FRAGMENT = /\{([A-Z_]+)\}/g;
const fragments = flagLexicon.fragments as Record<string, string>;

function expand(source: string): string {
  return source.replace(FRAGMENT, (_, name: string) => {
    const fragment = fragments[name];
    if (fragment === undefined) throw new Error(`Unknown lexicon fragment {${name}}`);
    return fragment;
  });
}

/**
 * One regex per flag, one capturing group per lexicon entry: a single scan finds the earliest match
 * and the group tells which entry it was. Entries must only use (?:...) groups.
 */
function compile(name: string, byLanguage: Languages, negatable: boolean, anchored = false): CompiledLexicon {
  const entries: Entry[] = [];
  const patterns: string[] = [];
  for (const [language, list] of Object.entries(byLanguage)) {
    if (!Array.isArray(list)) continue;
    list.forEach((pattern, index) => {
      entries.push({ id: `${name}/${language}/${index}` });
      patterns.push(expand(pattern));
    });
  }
  const full = scanner(patterns, entries, anchored);
  const probe = new RegExp(`${patterns.map((p) => `(${p})`).join('|')}|`).exec('');
  if (probe && probe.length - 1 !== entries.length) throw new Error(`Lexicon ${name} has a capturing group; use (?:...)`);
  return { patterns, requirements: patterns.map((p) => requirementOf(p)), anchored, negatable, full, subsets: new Map() };
}

function scanner(patterns: string[], entries: Entry[], anchored: boolean): Scanner {
  const body = patterns.map((p) => `(${p})`).join('|');
  return { regex: anchored ? new RegExp(`^(?:${body})$`) : new RegExp(`\\b(?:${body})(?![a-z0-9])`, 'g'), entries };
}

/**
 * The scanner for the entries whose required words the text has, in lexicon order, so the earliest
 * match and the entry it names are exactly what the full regex would find. Undefined when none can match.
 */
function scannerFor(lexicon: CompiledLexicon, prefixes: WordPrefixes): Scanner | undefined {
  const kept = satisfiedIndices(lexicon.requirements, prefixes);
  if (kept.length === 0) return undefined;
  if (kept.length === lexicon.patterns.length) return lexicon.full;
  const key = kept.join(',');
  let found = lexicon.subsets.get(key);
  if (!found) {
    if (lexicon.subsets.size >= MAX_SUBSETS) lexicon.subsets.clear();
    found = scanner(kept.map((i) => lexicon.patterns[i]), kept.map((i) => lexicon.full.entries[i]), lexicon.anchored);
    lexicon.subsets.set(key, found);
  }
  return found;
}

const NEGATABLE = new Set<string>(negation.negatable);
const FLAG_LEXICONS = FLAGS.map((flag) => ({
  flag,
  lexicon: compile(flag, (flagLexicon.flags as Record<string, Languages>)[flag] ?? {}, NEGATABLE.has(flag)),
}));
const DISSATISFIED = compile('dissatisfied', flagLexicon.dissatisfied as Languages, false);
const WHOLE_MESSAGE_HUMAN = compile('human_requested/whole', { any: flagLexicon.wholeMessage.human_requested }, false, true);
/** Only very short messages can be a bare "agent please"; longer ones mention agents in passing. */
const WHOLE_MESSAGE_MAX_CHARS = 60;
const TOPIC_LEXICONS = TOPICS.filter((t) => t !== 'general').map((topic) => {
  const source = ((topicLexicon as unknown as Record<string, string[]>)[topic] ?? []).join('|');
  return { topic, regex: new RegExp(`\\b(?:${source})(?![a-z0-9])`), requirement: requirementOf(source) };
});

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
  for (const m of before.matchAll(CLAUSE_BREAK)) lastBreak = m.index + m[0].length;
  if (lastBreak >= 0) before = before.slice(lastBreak);
  const window = before.trim().split(' ').slice(-negation.windowTokens).join(' ');
  if (window === '') return false;
  return CUE.test(window) && !INABILITY.test(window);
}

function firstMatch(text: string, lexicon: CompiledLexicon, prefixes: WordPrefixes): Entry | undefined {
  const found = scannerFor(lexicon, prefixes);
  if (!found) return undefined;
  const { regex, entries } = found;
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    if (!lexicon.negatable || !isNegated(text, m.index)) {
      for (let g = 1; g < m.length; g++) if (m[g] !== undefined) return entries[g - 1];
    }
    if (m[0] === '') regex.lastIndex++;
  }
  return undefined;
}

export interface FlagResult {
  flags: Flag[];
  evidence: Evidence[];
}

/** Flags raised by normalised text, each with the lexicon entry that raised it. */
export function detectFlags(text: string): FlagResult {
  const flags: Flag[] = [];
  const evidence: Evidence[] = [];
  const prefixes = wordPrefixes(text);
  for (const { flag, lexicon } of FLAG_LEXICONS) {
    let entry = firstMatch(text, lexicon, prefixes);
    if (!entry && flag === 'human_requested' && text.length <= WHOLE_MESSAGE_MAX_CHARS && WHOLE_MESSAGE_HUMAN.full.regex.test(text)) {
      entry = WHOLE_MESSAGE_HUMAN.full.entries[0];
    }
    if (entry) {
      flags.push(flag);
      evidence.push({ flag, match: entry.id });
    }
  }
  return { flags, evidence };
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
  for (const { topic, regex, requirement } of TOPIC_LEXICONS) if (satisfied(requirement, prefixes) && regex.test(text)) topics.add(topic);
  // The flags are the strongest topic evidence there is; a legal threat is a legal matter whatever words it used.
  if (flags.includes('billing_dispute')) topics.add('billing');
  if (flags.includes('fraud_or_security')) topics.add('account');
  if (flags.includes('legal_threat')) topics.add('legal');
  if (flags.includes('privacy_request')) topics.add('privacy');
  if (topics.size === 0) topics.add('general');
  return TOPICS.filter((t) => topics.has(t));
}
