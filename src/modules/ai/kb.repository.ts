import type { KbArticle } from '@prisma/client';
import type { Pool } from 'pg';
import type { Db } from '../../shared/db/prisma';
import { afterCursor } from '../../shared/http/validation';
import seed from './kb-seed.json';

export interface KbHit {
  id: string;
  slug: string;
  language: string;
  title: string;
  body: string;
  /** ts_rank_cd with length normalisation 32, in [0, 1). */
  rank: number;
  /** Share of the question's distinct lexemes (stopwords excluded) that the article contains. */
  coverage: number;
  /** How many distinct lexemes the question has after stemming and stopwords. */
  questionTerms: number;
}

// The question's query and lexemes are computed once (MATERIALIZED): inlined into the generic plan
// that a named statement gets after five runs, they were evaluated again for every article.
const SEARCH_KB = `
  WITH q AS MATERIALIZED (
    SELECT replace(plainto_tsquery(kb_ts_config($1), $2)::text, '&', '|') AS expr,
           tsvector_to_array(to_tsvector(kb_ts_config($1), $2)) AS lexemes
  ), tq AS MATERIALIZED (
    SELECT expr::tsquery AS query, lexemes FROM q WHERE expr <> ''
  )
  SELECT a.id, a.slug, a.language, a.title, a.body,
         ts_rank_cd(a.search, tq.query, 32)::float8 AS rank,
         (SELECT count(*) FROM unnest(tq.lexemes) l WHERE l = ANY (tsvector_to_array(a.search)))::float8
           / greatest(cardinality(tq.lexemes), 1) AS coverage,
         cardinality(tq.lexemes)::int AS "questionTerms"
  FROM tq JOIN kb_articles a ON a.language = $1 AND a.search @@ tq.query
  ORDER BY rank DESC, a.slug
  LIMIT $3`;

/**
 * Ranked full-text search over the articles of one language. The question's lexemes are OR-ed
 * (a customer's question never repeats an article's wording exactly), stemmed with the same
 * configuration as the article column, and the GIN index on `search` answers the match. Once per
 * AI job, so it runs on the plain pg pool as a named statement: planned once per connection.
 */
export async function searchKb(pool: Pick<Pool, 'query'>, language: string, question: string, limit = 8): Promise<KbHit[]> {
  const { rows } = await pool.query<KbHit>({ name: 'kb-search', text: SEARCH_KB, values: [language, question, limit] });
  return rows;
}

export interface KbArticleInput {
  slug: string;
  language: string;
  title: string;
  body: string;
  tags: string[];
}

/** Inserts the shipped help-centre articles that are missing; edited or added articles are left alone. */
export async function seedKb(db: Db): Promise<number> {
  const articles = seed as KbArticleInput[];
  const result = await db.kbArticle.createMany({ data: articles, skipDuplicates: true });
  return result.count;
}

export function listArticles(db: Db, where: { language?: string }, page: { limit: number; after?: { createdAt: Date; id: string } }): Promise<KbArticle[]> {
  return db.kbArticle.findMany({
    where: {
      ...(where.language ? { language: where.language } : {}),
      ...afterCursor(page.after),
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: page.limit + 1,
  });
}
