-- Hand-written: the audit log is append-only for everyone who is not its owner.
-- Grants alone (REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM handoff_app, see docs/security.md)
-- stop the application role, and these triggers also stop any role that merely holds table privileges.
-- The migration runner splits scripts on semicolons, even inside dollar quotes, so the PL/pgSQL body
-- is an E-string whose statement terminators are written as the octal escape \073.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN RAISE EXCEPTION ''audit_log is append-only'' USING ERRCODE = ''insufficient_privilege''\073 END\073';

CREATE TRIGGER "audit_log_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();

CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
