import { detectAll } from 'tinyld';
import stopwords from './lexicons/stopwords.json';

/**
 * Candidates tinyld may answer with: the five the AI serves plus the ones customers most often write
 * in otherwise. A short list keeps short English from being read as Frisian or Esperanto, while
 * unsupported languages are still recognised (and so routed to people).
 */
const CANDIDATES = ['en', 'es', 'fr', 'de', 'pt', 'it', 'nl', 'pl', 'sv', 'da', 'tr', 'ru', 'uk', 'ar', 'he', 'hi', 'ja', 'zh', 'ko', 'th', 'el'];
/** Fewer letters than this in a Latin script is too little to tell ("hi", "agent please"). */
const MIN_LATIN_LETTERS = 20;
/** Scripts where a handful of characters already identify the language. */
const NON_LATIN = /[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u097f\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/g;
const LATIN_LETTER = /[a-zà-öø-ÿ]/gi;
/** tinyld's cost grows with text length; the opening of a message is enough to tell its language. */
const SAMPLE_CHARS = 140;
/** Function words in the first few sentences settle the language as well as the whole text would. */
const STOPWORD_SAMPLE_CHARS = 400;
const URLS_AND_CODES = /\bhttps?:\/\/\S+|[\w.+-]+@[\w.-]+|\b\w*\d[\w-]*/g;

/**
 * ISO 639-1 code of the text's language, or 'und' when it is too short or unclear to tell.
 */
export function detectLanguage(text: string): string {
  const cleaned = text.slice(0, STOPWORD_SAMPLE_CHARS).replace(URLS_AND_CODES, ' ');
  const nonLatin = cleaned.match(NON_LATIN)?.length ?? 0;
  const latin = cleaned.match(LATIN_LETTER)?.length ?? 0;
  if (nonLatin < 2 && latin < MIN_LATIN_LETTERS) return 'und';
  if (nonLatin < 2) {
    const fast = byStopwords(cleaned);
    if (fast) return fast;
  }
  const best = detectAll(sample(cleaned), { only: CANDIDATES })[0];
  return best ? best.lang : 'und';
}

function sample(text: string): string {
  const compact = text.replace(/\s+/g, ' ').trim();
  if (compact.length <= SAMPLE_CHARS) return compact;
  const cut = compact.lastIndexOf(' ', SAMPLE_CHARS);
  return compact.slice(0, cut > SAMPLE_CHARS / 2 ? cut : SAMPLE_CHARS);
}

const STOPWORD_LANGUAGES = Object.entries(stopwords)
  .filter(([code]) => code !== '_comment')
  .map(([code, words]) => ({ code, words: new Set(words as string[]) }));
const FAST_LANGUAGES = new Set(['en', 'es', 'fr', 'de', 'pt']);
/** Hits the winner needs, and how far ahead of the runner-up, before tinyld is skipped. */
const MIN_HITS = 4;
const MIN_LEAD = 1.5;
const WORDS = /[a-z']+/g;

/** A served language whose function words clearly dominate the opening, or undefined when unclear. */
function byStopwords(text: string): string | undefined {
  const words = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().match(WORDS);
  if (!words) return undefined;
  let best = '';
  let bestHits = 0;
  let second = 0;
  for (const { code, words: list } of STOPWORD_LANGUAGES) {
    let hits = 0;
    for (const w of words) if (list.has(w)) hits++;
    if (hits > bestHits) {
      second = bestHits;
      bestHits = hits;
      best = code;
    } else if (hits > second) second = hits;
  }
  return FAST_LANGUAGES.has(best) && bestHits >= MIN_HITS && bestHits >= MIN_LEAD * second ? best : undefined;
}
