-- CreateTable
CREATE TABLE "agent_status_changes" (
    "id" BIGSERIAL NOT NULL,
    "agent_id" UUID NOT NULL,
    "status" "AgentStatus" NOT NULL,
    "skills" TEXT[],
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_status_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "agent_status_changes_agent_id_changed_at_idx" ON "agent_status_changes"("agent_id", "changed_at");

-- CreateIndex
CREATE INDEX "agent_status_changes_changed_at_idx" ON "agent_status_changes"("changed_at");

-- AddForeignKey
ALTER TABLE "agent_status_changes" ADD CONSTRAINT "agent_status_changes_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- History starts now: each existing agent's current state is its first row, and time before it is unknown (not counted as available).
INSERT INTO "agent_status_changes" ("agent_id", "status", "skills", "changed_at") SELECT "id", "status", "skills", CURRENT_TIMESTAMP FROM "agents";

-- Skills-gap report: claims that overflowed to an agent without the ticket's skills, looked up per ticket.
CREATE INDEX "ticket_events_overflow_idx" ON "ticket_events" ("ticket_id") WHERE "type" = 'claimed' AND "data" ? 'overflow';
