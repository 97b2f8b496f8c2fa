import { detectAll } from 'tinyld';

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
const URLS_AND_CODES = /\bhttps?:\/\/\S+|\S+@\S+|\b[\w-]*\d[\w-]*\b/g;

/**
 * ISO 639-1 code of the text's language, or 'und' when it is too short or unclear to tell.
 */
export function detectLanguage(text: string): string {
  const cleaned = text.replace(URLS_AND_CODES, ' ');
  const nonLatin = cleaned.match(NON_LATIN)?.length ?? 0;
  const latin = cleaned.match(LATIN_LETTER)?.length ?? 0;
  if (nonLatin < 2 && latin < MIN_LATIN_LETTERS) return 'und';
  const best = detectAll(sample(cleaned), { only: CANDIDATES })[0];
  return best ? best.lang : 'und';
}

function sample(text: string): string {
  const compact = text.replace(/\s+/g, ' ').trim();
  if (compact.length <= SAMPLE_CHARS) return compact;
  const cut = compact.lastIndexOf(' ', SAMPLE_CHARS);
  return compact.slice(0, cut > SAMPLE_CHARS / 2 ? cut : SAMPLE_CHARS);
}
