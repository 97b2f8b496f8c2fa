-- AlterTable
ALTER TABLE "tickets" ADD COLUMN     "human_request_breached_at" TIMESTAMPTZ(3),
ADD COLUMN     "human_request_due_at" TIMESTAMPTZ(3),
ADD COLUMN     "initial_route" "Route";

-- AlterTable
ALTER TABLE "sla_policies" ADD COLUMN     "business_hours" JSONB,
ADD COLUMN     "human_request_minutes" INTEGER NOT NULL DEFAULT 30;


-- Stats and breach watcher: partial indexes so "now" questions never scan closed tickets
CREATE INDEX "tickets_open_first_response_due_idx" ON "tickets" ("first_response_due_at") WHERE "status" IN ('ai_queued', 'human_queued', 'assigned') AND "first_responded_at" IS NULL AND "ai_answered_at" IS NULL;
CREATE INDEX "tickets_open_resolution_due_idx" ON "tickets" ("resolution_due_at") WHERE "status" IN ('ai_queued', 'human_queued', 'assigned');
CREATE INDEX "tickets_open_human_request_due_idx" ON "tickets" ("human_request_due_at") WHERE "status" IN ('ai_queued', 'human_queued', 'assigned') AND "human_requested_at" IS NOT NULL AND "human_responded_at" IS NULL;
CREATE INDEX "decisions_human_created_idx" ON "decisions" ("created_at") WHERE "route" = 'human';
