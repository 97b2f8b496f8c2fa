-- Hand-written: a claim in one round trip. The whole claim (lock the agent, count what it holds, pick the
-- ticket FOR UPDATE SKIP LOCKED in claim order, the wellbeing rotation, assign, the claimed event, the
-- audit entry of the read, and the claimed ticket with its thread as JSON) runs server-side in one call
-- instead of an interactive transaction of 4 to 6 statements plus three reads.
-- PL/pgSQL because the capacity check needs a fresh snapshot after the agent's row lock is granted: each
-- statement of a volatile function takes a new snapshot in READ COMMITTED, one SQL statement would not.
-- The migration runner splits scripts on semicolons, even inside dollar quotes, so the body is an
-- E-string whose statement terminators are written as the octal escape \073 (see the security migration).
-- Returns {"outcome": "not_found" | "unavailable" | "at_capacity" | "nothing_fits" | "claimed", ...}.
CREATE FUNCTION "claim_ticket"(
  p_agent uuid,
  p_now timestamptz,
  p_overflow_minutes int,
  p_aging_step_minutes int,
  p_streak_limit int,
  p_distress_flags text[],
  p_distress_threshold float8,
  p_actor_id text,
  p_actor_role text
) RETURNS jsonb LANGUAGE plpgsql AS E'
DECLARE
  v_agent record\073
  v_held int\073
  v_cutoff timestamptz := p_now - make_interval(mins => p_overflow_minutes)\073
  v_pick record\073
  v_exclude_distressing boolean := false\073
  v_rotation jsonb\073
  v_missing text[]\073
  v_effective text\073
  v_streak int\073
  v_data jsonb\073
BEGIN
  SELECT id, status::text AS status, skills, languages, capacity, distress_streak INTO v_agent
  FROM agents WHERE id = p_agent FOR UPDATE\073
  IF NOT FOUND THEN RETURN jsonb_build_object(''outcome'', ''not_found'')\073 END IF\073
  IF v_agent.status <> ''available'' THEN
    RETURN jsonb_build_object(''outcome'', ''unavailable'', ''agentStatus'', v_agent.status)\073
  END IF\073

  SELECT count(*) INTO v_held FROM tickets WHERE assigned_agent_id = p_agent AND status = ''assigned''\073
  IF v_held >= v_agent.capacity THEN RETURN jsonb_build_object(''outcome'', ''at_capacity'')\073 END IF\073

  LOOP
    SELECT t.id, t.priority::text AS priority, t.skills, t.language, t.queued_at, t.requeued_at,
           (t.flags && p_distress_flags OR t.sentiment <= p_distress_threshold) AS distressing,
           (t.claim_rank / 2)::int AS effective_rank
    INTO v_pick
    FROM tickets t
    WHERE t.status = ''human_queued''
      AND (t.language = ANY(v_agent.languages) OR t.language = ''und'')
      AND (t.skills <@ v_agent.skills OR t.queued_at <= v_cutoff)
      AND (NOT v_exclude_distressing OR NOT (t.flags && p_distress_flags OR t.sentiment <= p_distress_threshold))
    ORDER BY t.claim_rank DESC, t.first_response_due_at, t.queued_at, t.id
    LIMIT 1
    FOR UPDATE OF t SKIP LOCKED\073
    IF NOT FOUND THEN RETURN jsonb_build_object(''outcome'', ''nothing_fits'')\073 END IF\073
    EXIT WHEN v_exclude_distressing OR NOT v_pick.distressing OR v_agent.distress_streak < p_streak_limit\073

    IF NOT EXISTS (
      SELECT 1 FROM agents a
      WHERE a.id <> p_agent AND a.status = ''available'' AND a.distress_streak < p_streak_limit
        AND (v_pick.language = ''und'' OR v_pick.language = ANY(a.languages))
        AND (v_pick.skills <@ a.skills OR v_pick.queued_at <= v_cutoff)
        AND (SELECT count(*) FROM tickets x WHERE x.assigned_agent_id = a.id AND x.status = ''assigned'') < a.capacity
    ) THEN
      v_rotation := jsonb_build_object(''streak'', v_agent.distress_streak, ''limit'', p_streak_limit,
        ''detail'', ''No other eligible agent could take it.'')\073
      EXIT\073
    END IF\073
    INSERT INTO ticket_events (id, ticket_id, type, agent_id, data, created_at)
    VALUES (gen_random_uuid(), v_pick.id, ''wellbeing_rotation'', p_agent,
      jsonb_build_object(''streak'', v_agent.distress_streak, ''limit'', p_streak_limit,
        ''detail'', ''Passed to another agent: this one just had several high-distress tickets in a row.''),
      p_now)\073
    v_exclude_distressing := true\073
  END LOOP\073

  UPDATE tickets SET status = ''assigned'', assigned_agent_id = p_agent, assigned_at = p_now,
    requeued_at = NULL, aging_levels = 0, updated_at = p_now
  WHERE id = v_pick.id\073

  v_missing := ARRAY(SELECT s FROM unnest(v_pick.skills) WITH ORDINALITY AS u(s, n) WHERE NOT s = ANY(v_agent.skills) ORDER BY n)\073
  v_effective := (ARRAY[''low'', ''normal'', ''high'', ''urgent''])[v_pick.effective_rank + 1]\073
  v_streak := CASE WHEN v_pick.distressing THEN v_agent.distress_streak + 1 ELSE 0 END\073
  v_data := jsonb_build_object(''priority'', v_pick.priority)\073
  IF v_effective <> v_pick.priority THEN
    v_data := v_data || jsonb_build_object(''aging'', jsonb_build_object(''effectivePriority'', v_effective, ''stepMinutes'', p_aging_step_minutes))\073
  END IF\073
  IF v_pick.requeued_at IS NOT NULL THEN v_data := v_data || ''{"requeued": true}''::jsonb\073 END IF\073
  IF cardinality(v_missing) > 0 THEN
    v_data := v_data || jsonb_build_object(''overflow'', jsonb_build_object(
      ''missingSkills'', to_jsonb(v_missing),
      ''waitedSeconds'', round(extract(epoch FROM p_now - v_pick.queued_at))::bigint,
      ''reason'', format(''No agent with the skills %s claimed it within %s min\073 offered to agents with its language.'',
        array_to_string(v_missing, '', ''), p_overflow_minutes)))\073
  END IF\073
  IF v_pick.distressing THEN
    v_data := v_data || jsonb_build_object(''distressing'', true, ''distressStreak'', v_streak)\073
  END IF\073
  IF v_rotation IS NOT NULL THEN v_data := v_data || jsonb_build_object(''wellbeing'', v_rotation)\073 END IF\073
  INSERT INTO ticket_events (id, ticket_id, type, agent_id, data, created_at)
  VALUES (gen_random_uuid(), v_pick.id, ''claimed'', p_agent, v_data, p_now)\073

  IF v_streak <> v_agent.distress_streak THEN
    UPDATE agents SET distress_streak = v_streak WHERE id = p_agent\073
  END IF\073

  INSERT INTO audit_log (id, actor_id, actor_role, action, entity, entity_id, detail)
  VALUES (gen_random_uuid(), p_actor_id, p_actor_role, ''ticket.read_personal_data'', ''ticket'', v_pick.id::text,
    jsonb_build_object(''agentId'', p_agent, ''via'', ''claim''))\073

  RETURN jsonb_build_object(''outcome'', ''claimed'', ''ticket'', (
    SELECT to_jsonb(t) || jsonb_build_object(
      ''messages'', COALESCE((SELECT jsonb_agg(to_jsonb(m) ORDER BY m.created_at, m.id) FROM messages m WHERE m.ticket_id = t.id), ''[]''),
      ''decisions'', COALESCE((SELECT jsonb_agg(to_jsonb(d) ORDER BY d.created_at, d.id) FROM decisions d WHERE d.ticket_id = t.id), ''[]''),
      ''events'', COALESCE((SELECT jsonb_agg(to_jsonb(e) ORDER BY e.created_at, e.id) FROM ticket_events e WHERE e.ticket_id = t.id), ''[]''))
    FROM tickets t WHERE t.id = v_pick.id))\073
END\073
';
