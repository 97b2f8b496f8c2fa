-- CreateEnum
CREATE TYPE "PolicyStatus" AS ENUM ('draft', 'active', 'retired');

-- AlterTable
ALTER TABLE "decisions" ADD COLUMN     "ai_opt_out" BOOLEAN,
ADD COLUMN     "channel" "Channel",
ADD COLUMN     "customer_locale" TEXT,
ADD COLUMN     "customer_tier" "Tier",
ADD COLUMN     "recent_ticket_count" INTEGER;

-- CreateTable
CREATE TABLE "routing_policies" (
    "version" TEXT NOT NULL,
    "status" "PolicyStatus" NOT NULL DEFAULT 'draft',
    "document" JSONB NOT NULL,
    "created_by" TEXT NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activated_at" TIMESTAMPTZ(3),
    "retired_at" TIMESTAMPTZ(3),

    CONSTRAINT "routing_policies_pkey" PRIMARY KEY ("version")
);

-- CreateIndex
CREATE INDEX "routing_policies_created_at_idx" ON "routing_policies"("created_at");


-- Hand-written: at most one active version, enforced by the database rather than by care.
CREATE UNIQUE INDEX "routing_policies_one_active" ON "routing_policies" ((true)) WHERE "status" = 'active';

-- Hand-written: the simulation reads intake decisions by creation time.
CREATE INDEX "decisions_intake_created_at_idx" ON "decisions" ("created_at") WHERE "trigger" = 'intake';

-- Hand-written: older intake decisions get the group attributes of their ticket, and the opt-out and
-- repeat-contact count their reasons show. AI_OPT_OUT is always given for an opted-out customer, and
-- REPEAT_CONTACT's detail starts with the count. Without that reason the count was under the threshold of
-- its day and 0 is kept, so a replay with a lower repeat threshold under-counts repeat contacts among these
-- older tickets.
UPDATE "decisions" d SET
  "customer_tier" = t."customer_tier",
  "customer_locale" = t."customer_locale",
  "channel" = t."channel",
  "ai_opt_out" = d."reasons" @> '[{"code":"AI_OPT_OUT"}]'::jsonb,
  "recent_ticket_count" = COALESCE((
    SELECT substring(e->>'detail' FROM '^([0-9]+) earlier')::int
    FROM jsonb_array_elements(d."reasons") e
    WHERE e->>'code' = 'REPEAT_CONTACT'
    LIMIT 1), 0)
FROM "tickets" t
WHERE t."id" = d."ticket_id" AND d."trigger" = 'intake';
