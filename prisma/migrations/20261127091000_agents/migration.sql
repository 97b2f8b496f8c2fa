-- AlterTable
ALTER TABLE "tickets" ADD COLUMN     "aging_levels" SMALLINT NOT NULL DEFAULT 0,
ADD COLUMN     "requeued_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "distress_streak" INTEGER NOT NULL DEFAULT 0;


-- Hand-added: the claim order as one stored key, so a claim walks an index instead of sorting the queue.
-- Effective priority (priority raised by aging, at most urgent) times two, plus one for a ticket handed
-- back unanswered, which goes ahead of its peers.
ALTER TABLE "tickets" ADD COLUMN "claim_rank" SMALLINT GENERATED ALWAYS AS (
  2 * LEAST(3, (CASE "priority" WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END) + "aging_levels")
  + (CASE WHEN "requeued_at" IS NULL THEN 0 ELSE 1 END)
) STORED;
CREATE INDEX "tickets_claim_order_idx" ON "tickets" ("claim_rank" DESC, "first_response_due_at", "queued_at", "id") WHERE "status" = 'human_queued';
