-- Hand-written: several agents' claims in one call, so that claims arriving together share one round trip
-- and one commit (group commit, as intake's writes do). Each claim is exactly a call of claim_ticket, in
-- the order the claims arrived, in one transaction: a later claim of the batch sees what the earlier ones
-- assigned (each statement of a volatile function takes a new snapshot and sees its own transaction's
-- changes), so no ticket goes to two agents and an agent twice in a batch is counted against its capacity.
-- The batch's agents are locked first, in id order, so that batches sharing an agent wait for each other
-- instead of deadlocking, and each claim_ticket then finds its agent's row already locked.
-- Same E-string convention as 20261127110500_claim_function (the runner splits on semicolons).
-- Returns one row per claim, claim_no being its position in p_agents (from 1).
CREATE FUNCTION "claim_tickets"(
  p_agents uuid[],
  p_nows timestamptz[],
  p_actor_ids text[],
  p_actor_roles text[],
  p_overflow_minutes int,
  p_aging_step_minutes int,
  p_streak_limit int,
  p_distress_flags text[],
  p_distress_threshold float8
) RETURNS TABLE (claim_no int, claim jsonb) LANGUAGE plpgsql AS E'
BEGIN
  PERFORM 1 FROM agents a WHERE a.id = ANY(p_agents) ORDER BY a.id FOR UPDATE\073
  FOR i IN 1 .. cardinality(p_agents) LOOP
    claim_no := i\073
    claim := claim_ticket(p_agents[i], p_nows[i], p_overflow_minutes, p_aging_step_minutes, p_streak_limit,
      p_distress_flags, p_distress_threshold, p_actor_ids[i], p_actor_roles[i])\073
    RETURN NEXT\073
  END LOOP\073
END\073
';
