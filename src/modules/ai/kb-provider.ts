import type { Pool } from 'pg';
import { searchKb, type KbHit } from './kb.repository';
import type { AiAnswer, AiProvider, AnswerContext, AnswerSource } from './provider';

// Pleasantries and request verbs every ticket carries: counting them would make every long,
// polite question look like a poor match.
const FILLER: Record<string, string[]> = {
  en: ['hi', 'hello', 'hey', 'there', 'dear', 'thanks', 'thank', 'please', 'could', 'would', 'tell', 'know', 'help', 'think', 'need', 'lot', 'regards', 'kind', 'cheers', 'team', 'question', 'ask', 'want', 'like', 'get'],
  es: ['hola', 'gracias', 'favor', 'saludos', 'buenos', 'días', 'quiero', 'podéis', 'puedo', 'necesito', 'ayuda'],
  fr: ['bonjour', 'merci', 'cordialement', 'svp', 'plaît', 'voudrais', 'besoin', 'aide'],
  de: ['hallo', 'danke', 'bitte', 'grüße', 'freundlichen', 'möchte', 'hilfe'],
  pt: ['olá', 'obrigado', 'obrigada', 'favor', 'cumprimentos', 'queria', 'ajuda'],
};

/** Scores with full-text rank tempered by how much of the question the article covers. */
export function kbConfidence(hit: Pick<KbHit, 'rank' | 'coverage'>): number {
  return Math.max(0, Math.min(1, hit.rank * (0.4 + 0.6 * hit.coverage)));
}

/** Hits with their confidence, most confident first. */
export function rankHits(hits: KbHit[]): { hit: KbHit; score: number }[] {
  return hits.map((hit) => ({ hit, score: kbConfidence(hit) })).sort((a, b) => b.score - a.score);
}

/** How an answer cites an article. */
export const sourceOf = (hit: Pick<KbHit, 'id' | 'slug' | 'title' | 'language'>): AnswerSource => ({ id: hit.id, slug: hit.slug, title: hit.title, language: hit.language });

/** Removes filler words so coverage measures the substance of the question. */
export function focusQuestion(text: string, language: string): string {
  const filler = new Set(FILLER[language] ?? []);
  // Placeholders such as [EMAIL] say nothing about the topic and would match "email" articles.
  return text
    .replace(/\[[A-Z_]+\]/g, ' ')
    .split(/[^\p{L}\p{N}'-]+/u)
    .filter((w) => w && !filler.has(w.toLowerCase()))
    .join(' ');
}

/**
 * The embedded provider: answers from the best help-centre article in the ticket's language and
 * cites it. Confidence follows the ranking (see docs/benchmarks.md for its calibration), so a
 * question the KB does not cover falls below the threshold and goes to a person.
 */
export function createKbProvider(pool: Pick<Pool, 'query'>): AiProvider {
  return {
    name: 'kb',
    async answer(redactedText: string, context: AnswerContext): Promise<AiAnswer> {
      const hits = await searchKb(pool, context.language, focusQuestion(redactedText, context.language), 8);
      if (hits.length === 0) return { text: '', confidence: 0, sources: [] };
      const ranked = rankHits(hits);
      const best = ranked[0];
      // A close runner-up is cited too: the customer may be asking about that one.
      const also = ranked.slice(1).filter((r) => r.score >= best.score * 0.9 && r.score > 0).slice(0, 1);
      const seeAlso = also.map((r) => `\n\n${SEE_ALSO[context.language] ?? SEE_ALSO.en}: ${r.hit.title}`).join('');
      return {
        text: `${best.hit.title}\n\n${best.hit.body}${seeAlso}`,
        confidence: Number(best.score.toFixed(4)),
        sources: [best, ...also].map(({ hit }) => sourceOf(hit)),
      };
    },
  };
}

const SEE_ALSO: Record<string, string> = { en: 'See also', es: 'Véase también', fr: 'Voir aussi', de: 'Siehe auch', pt: 'Veja também' };
