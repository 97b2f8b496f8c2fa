-- CreateTable
CREATE TABLE "stats_daily" (
    "day" TIMESTAMPTZ(3) NOT NULL,
    "dim" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "tickets" INTEGER NOT NULL DEFAULT 0,
    "ai_routed" INTEGER NOT NULL DEFAULT 0,
    "ai_answered" INTEGER NOT NULL DEFAULT 0,
    "ai_escalated" INTEGER NOT NULL DEFAULT 0,
    "answered_any" INTEGER NOT NULL DEFAULT 0,
    "escalated_answered" INTEGER NOT NULL DEFAULT 0,
    "fr_achieved" INTEGER NOT NULL DEFAULT 0,
    "fr_breached" INTEGER NOT NULL DEFAULT 0,
    "res_achieved" INTEGER NOT NULL DEFAULT 0,
    "res_breached" INTEGER NOT NULL DEFAULT 0,
    "hr_achieved" INTEGER NOT NULL DEFAULT 0,
    "hr_breached" INTEGER NOT NULL DEFAULT 0,
    "fr_buckets" SMALLINT[],
    "fr_counts" INTEGER[],
    "res_buckets" SMALLINT[],
    "res_counts" INTEGER[],
    "hr_buckets" SMALLINT[],
    "hr_counts" INTEGER[],

    CONSTRAINT "stats_daily_pkey" PRIMARY KEY ("dim","day","key")
);

-- CreateTable
CREATE TABLE "stats_days" (
    "day" TIMESTAMPTZ(3) NOT NULL,
    "judged_at" TIMESTAMPTZ(3) NOT NULL,
    "valid_until" TIMESTAMPTZ(3),

    CONSTRAINT "stats_days_pkey" PRIMARY KEY ("day")
);

-- CreateTable
CREATE TABLE "stats_dirty_days" (
    "id" BIGSERIAL NOT NULL,
    "day" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stats_dirty_days_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "stats_daily_day_idx" ON "stats_daily"("day");

-- CreateIndex
CREATE INDEX "stats_dirty_days_day_idx" ON "stats_dirty_days"("day");


-- Hand-written: what keeps the stats rollup honest. Any change to a ticket or decision that the
-- stats read, on a day the rollup may already hold, records that day as dirty, whichever module
-- (or person with psql) makes it. Days that ended less than 30 minutes before the change are never
-- rolled up yet (the job waits an hour), so inserts and updates of today's tickets (intake, claims,
-- AI answers) stop at the trigger's WHEN and never run the function.
-- The migration runner splits scripts on semicolons, even inside dollar quotes, so the PL/pgSQL
-- bodies are E-strings whose statement terminators are written as the octal escape \073.
CREATE FUNCTION "stats_mark_dirty"() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN IF TG_OP <> ''DELETE'' THEN INSERT INTO stats_dirty_days (day) VALUES (date_trunc(''day'', NEW.created_at, ''UTC''))\073 END IF\073 IF TG_OP = ''DELETE'' OR (TG_OP = ''UPDATE'' AND date_trunc(''day'', OLD.created_at, ''UTC'') <> date_trunc(''day'', NEW.created_at, ''UTC'')) THEN INSERT INTO stats_dirty_days (day) VALUES (date_trunc(''day'', OLD.created_at, ''UTC''))\073 END IF\073 RETURN NULL\073 END\073';

CREATE FUNCTION "stats_forget_all"() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN DELETE FROM stats_days\073 DELETE FROM stats_daily\073 DELETE FROM stats_dirty_days\073 RETURN NULL\073 END\073';

CREATE TRIGGER "tickets_stats_dirty_insert" AFTER INSERT ON "tickets" FOR EACH ROW
  WHEN (NEW.created_at < date_trunc('day', clock_timestamp() - interval '30 minutes', 'UTC'))
  EXECUTE FUNCTION "stats_mark_dirty"();

CREATE TRIGGER "tickets_stats_dirty_update" AFTER UPDATE ON "tickets" FOR EACH ROW
  WHEN ((OLD.created_at < date_trunc('day', clock_timestamp() - interval '30 minutes', 'UTC') OR NEW.created_at < date_trunc('day', clock_timestamp() - interval '30 minutes', 'UTC'))
    AND ROW(OLD.created_at, OLD.status, OLD.route, OLD.initial_route, OLD.priority, OLD.channel, OLD.source, OLD.assigned_agent_id, OLD.customer_locale, OLD.customer_tier,
            OLD.ai_answered_at, OLD.escalated_after_ai, OLD.human_requested_at, OLD.first_response_due_at, OLD.resolution_due_at, OLD.human_request_due_at,
            OLD.first_responded_at, OLD.human_responded_at, OLD.resolved_at, OLD.first_response_breached_at, OLD.resolution_breached_at, OLD.human_request_breached_at)
      IS DISTINCT FROM
        ROW(NEW.created_at, NEW.status, NEW.route, NEW.initial_route, NEW.priority, NEW.channel, NEW.source, NEW.assigned_agent_id, NEW.customer_locale, NEW.customer_tier,
            NEW.ai_answered_at, NEW.escalated_after_ai, NEW.human_requested_at, NEW.first_response_due_at, NEW.resolution_due_at, NEW.human_request_due_at,
            NEW.first_responded_at, NEW.human_responded_at, NEW.resolved_at, NEW.first_response_breached_at, NEW.resolution_breached_at, NEW.human_request_breached_at))
  EXECUTE FUNCTION "stats_mark_dirty"();

CREATE TRIGGER "tickets_stats_dirty_delete" AFTER DELETE ON "tickets" FOR EACH ROW
  WHEN (OLD.created_at < date_trunc('day', clock_timestamp() - interval '30 minutes', 'UTC'))
  EXECUTE FUNCTION "stats_mark_dirty"();

CREATE TRIGGER "tickets_stats_truncate" AFTER TRUNCATE ON "tickets" FOR EACH STATEMENT EXECUTE FUNCTION "stats_forget_all"();

CREATE TRIGGER "decisions_stats_dirty_insert" AFTER INSERT ON "decisions" FOR EACH ROW
  WHEN (NEW.created_at < date_trunc('day', clock_timestamp() - interval '30 minutes', 'UTC'))
  EXECUTE FUNCTION "stats_mark_dirty"();

CREATE TRIGGER "decisions_stats_dirty_update" AFTER UPDATE ON "decisions" FOR EACH ROW
  WHEN ((OLD.created_at < date_trunc('day', clock_timestamp() - interval '30 minutes', 'UTC') OR NEW.created_at < date_trunc('day', clock_timestamp() - interval '30 minutes', 'UTC'))
    AND ROW(OLD.created_at, OLD.route, OLD.reasons) IS DISTINCT FROM ROW(NEW.created_at, NEW.route, NEW.reasons))
  EXECUTE FUNCTION "stats_mark_dirty"();

CREATE TRIGGER "decisions_stats_dirty_delete" AFTER DELETE ON "decisions" FOR EACH ROW
  WHEN (OLD.created_at < date_trunc('day', clock_timestamp() - interval '30 minutes', 'UTC'))
  EXECUTE FUNCTION "stats_mark_dirty"();

CREATE TRIGGER "decisions_stats_truncate" AFTER TRUNCATE ON "decisions" FOR EACH STATEMENT EXECUTE FUNCTION "stats_forget_all"();

-- Breaches: the earliest pending due time of an open ticket, as an index in the order the page is read.
CREATE INDEX "tickets_open_next_due_idx" ON "tickets" ((LEAST(
    CASE WHEN "first_responded_at" IS NULL AND "ai_answered_at" IS NULL THEN "first_response_due_at" END,
    "resolution_due_at",
    CASE WHEN "human_requested_at" IS NOT NULL AND "human_responded_at" IS NULL THEN "human_request_due_at" END)), "id")
  WHERE "status" IN ('ai_queued', 'human_queued', 'assigned');
