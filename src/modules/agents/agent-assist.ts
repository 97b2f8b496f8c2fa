import type { Message, Ticket } from '@prisma/client';
import type { Pool } from 'pg';
import type { Deps } from '../../shared/deps';
import { batcherPer, microBatcher } from '../../shared/micro-batch';
import { redact } from '../privacy/redact';

export type Suggestion =
  | { kind: 'ai_draft'; suggestion: true; messageId: string; body: string | null; confidence: number | null; sources: unknown; createdAt: string }
  | { kind: 'kb_article'; suggestion: true; articleId: string; slug: string; title: string; language: string; excerpt: string; rank: number };

const MAX_ARTICLES = 3;
const MAX_TERMS = 40;
const EXCERPT_CHARS = 300;

/**
 * Agent assist: what an agent may reuse when it takes a ticket, never sent by itself. AI drafts kept
 * for people (internal messages) come first, then the knowledge-base articles that best match the
 * customer's words. Only redacted text reaches the search, as it would an AI provider.
 */
export async function buildSuggestions(deps: Pick<Deps, 'pool' | 'cipher'>, ticket: Ticket & { messages: Message[] }): Promise<Suggestion[]> {
  const drafts: Suggestion[] = ticket.messages
    .filter((m) => m.internal && m.author === 'ai')
    .reverse()
    .map((m) => ({
      kind: 'ai_draft',
      suggestion: true,
      messageId: m.id,
      body: m.bodyEnc ? deps.cipher.decrypt(m.bodyEnc) : null,
      confidence: m.confidence,
      sources: m.sources ?? [],
      createdAt: m.createdAt.toISOString(),
    }));

  const customerText = [ticket.subjectEnc, ...ticket.messages.filter((m) => m.author === 'customer').map((m) => m.bodyEnc)]
    .filter((enc): enc is string => !!enc)
    .map((enc) => deps.cipher.decrypt(enc))
    .join('\n');
  const terms = searchTerms(redact(customerText).text);
  if (terms.length === 0) return drafts;

  const articles = await articleSearch(deps.pool).add({ terms: terms.join(' '), language: ticket.language });
  return [
    ...drafts,
    ...articles.map(
      (a): Suggestion => ({
        kind: 'kb_article',
        suggestion: true,
        articleId: a.id,
        slug: a.slug,
        title: a.title,
        language: a.language,
        excerpt: a.body.length > EXCERPT_CHARS ? `${a.body.slice(0, EXCERPT_CHARS)}…` : a.body,
        rank: a.rank,
      }),
    ),
  ];
}

type Article = { id: string; slug: string; title: string; language: string; body: string; rank: number };

// plainto_tsquery parses safely; turning its ANDs into ORs lets the rank reward the best overlap. The words are
// stemmed, and stopwords dropped, with the configuration the articles of the ticket's language were indexed
// with (kb_ts_config, as the AI's search does): unstemmed, "charged" never met an article's "charg". ts_rank, not
// ts_rank_cd: with a whole message's words ORed, cover density cost 3.5 ms of database CPU per claim against
// 0.5 ms over the 52 seed articles, and picked the same first article (docs/benchmarks.md, "Claims").
// MATERIALIZED: the query is built once per search, so the prepared statement's generic plan is as cheap as a
// custom one and Postgres stops planning it on every claim (inlined, a generic plan rebuilt it for every
// article: 200 µs of database CPU per search instead of 320-380 µs custom, 1.5 ms generic).
// Each search of the batch is that same query, run for its own row of the unnest (LATERAL).
const SEARCH_ARTICLES = `
  SELECT s.n::int AS n, r.id, r.slug, r.title, r.language, r.body, r.rank
  FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s(terms, language, n)
  CROSS JOIN LATERAL (
    WITH q AS MATERIALIZED (SELECT replace(plainto_tsquery(kb_ts_config(s.language), s.terms)::text, ' & ', ' | ')::tsquery AS query)
    SELECT a.id, a.slug, a.title, a.language, a.body, ts_rank(a.search, q.query)::float8 AS rank
    FROM kb_articles a, q
    WHERE a.search @@ q.query AND (s.language = 'und' OR a.language = s.language)
    ORDER BY rank DESC, a.slug
    LIMIT ${MAX_ARTICLES}) r
  ORDER BY s.n, r.rank DESC, r.slug`;

/**
 * Claims that finish together search together: one statement and one round trip for the batch (in a loop
 * of 16 concurrent searches, half the Node CPU and three quarters of the database CPU of searching one by
 * one; docs/benchmarks.md, "Claims"). Read-only, so a batch has nothing to isolate.
 */
const articleSearch = batcherPer((pool: Pool) =>
  microBatcher<{ terms: string; language: string }, Article[]>({
    maxItems: 32,
    maxInFlight: 2,
    async run(searches) {
      const { rows } = await pool.query<Article & { n: number }>({
        name: 'agent-assist-articles',
        text: SEARCH_ARTICLES,
        values: [searches.map((s) => s.terms), searches.map((s) => s.language)],
      });
      const found: Article[][] = searches.map(() => []);
      for (const { n, ...article } of rows) found[n - 1].push(article);
      return found;
    },
  }),
);

/** Distinct words long enough to carry meaning; placeholders such as [EMAIL] are not words. */
function searchTerms(text: string): string[] {
  const words = text
    .replace(/\[[A-Z_]+\]/g, ' ')
    .toLowerCase()
    .match(/[\p{L}\p{N}]{4,}/gu);
  return [...new Set(words ?? [])].slice(0, MAX_TERMS);
}
