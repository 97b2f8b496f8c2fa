-- CreateEnum
CREATE TYPE "ReviewVerdict" AS ENUM ('good', 'bad');

-- DropIndex
DROP INDEX "kb_articles_slug_key";

-- CreateTable
CREATE TABLE "ai_reviews" (
    "id" UUID NOT NULL,
    "ticket_id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "verdict" "ReviewVerdict",
    "note" TEXT,
    "reviewer_id" TEXT,
    "reviewed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ai_reviews_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ai_reviews_message_id_key" ON "ai_reviews"("message_id");

-- CreateIndex
CREATE INDEX "ai_reviews_reviewed_at_created_at_idx" ON "ai_reviews"("reviewed_at", "created_at");

-- CreateIndex
CREATE INDEX "ai_reviews_ticket_id_idx" ON "ai_reviews"("ticket_id");

-- CreateIndex
CREATE UNIQUE INDEX "kb_articles_language_slug_key" ON "kb_articles"("language", "slug");


-- Hand-added: stem the knowledge base per article language ("refunds" finds "refund"), so the
-- kb provider can rank paraphrased questions. kb_ts_config maps a language code to its text
-- search configuration, and the provider builds the question's query with the same function.
CREATE FUNCTION "kb_ts_config"(text) RETURNS regconfig LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (CASE $1 WHEN 'en' THEN 'english' WHEN 'es' THEN 'spanish' WHEN 'fr' THEN 'french' WHEN 'de' THEN 'german' WHEN 'pt' THEN 'portuguese' ELSE 'simple' END)::regconfig $$;
DROP INDEX "kb_articles_search_idx";
ALTER TABLE "kb_articles" DROP COLUMN "search";
ALTER TABLE "kb_articles" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector(kb_ts_config("language"), coalesce("title", '')), 'A') ||
  setweight(to_tsvector(kb_ts_config("language"), coalesce("body", '')), 'B') ||
  setweight(to_tsvector(kb_ts_config("language"), kb_join_tags("tags")), 'A')
) STORED;
CREATE INDEX "kb_articles_search_idx" ON "kb_articles" USING GIN ("search");
-- Review queue: unreviewed answers oldest first.
CREATE INDEX "ai_reviews_pending_idx" ON "ai_reviews" ("created_at") WHERE "reviewed_at" IS NULL;
