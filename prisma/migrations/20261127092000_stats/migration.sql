-- AlterTable
ALTER TABLE "tickets" ADD COLUMN     "human_request_breached_at" TIMESTAMPTZ(3),
ADD COLUMN     "human_request_due_at" TIMESTAMPTZ(3),
ADD COLUMN     "initial_route" "Route";

-- AlterTable
ALTER TABLE "sla_policies" ADD COLUMN     "business_hours" JSONB,
ADD COLUMN     "human_request_minutes" INTEGER NOT NULL DEFAULT 30;

