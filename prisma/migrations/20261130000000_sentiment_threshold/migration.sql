-- Hand-written data migration: the built-in default policy becomes policy-2026.11.3, whose sentiment threshold is
-- -0.85 instead of -0.7 (see src/modules/routing/routing-policy.ts and docs/routing-card.md). An installation still on
-- the seeded default of policy-2026.11.2 with the default threshold (with or without other ROUTING_* or AI_LANGUAGES
-- settings, "+cfg(...)") moves to the same document with the new threshold. A seeded version whose threshold was set
-- through ROUTING_NEGATIVE_SENTIMENT, or a version an admin created or activated, stays active, and the old seed
-- stays as a retired version that can be activated again.
-- The migration runner splits scripts on semicolons, even inside quotes, so the block is an E-string whose
-- statement terminators are written as the octal escape \073 (as in the claim_function migration), and no comment
-- here may hold one.
DO E'
DECLARE
  seeded_version text\073
  seeded_document jsonb\073
  next_version text\073
BEGIN
  SELECT version, document INTO seeded_version, seeded_document
    FROM routing_policies
   WHERE status = ''active'' AND created_by = ''system:seed''
     AND (version = ''policy-2026.11.2'' OR version LIKE ''policy-2026.11.2+cfg(%'')
     AND (document->>''negativeSentimentThreshold'')::numeric = -0.7\073
  IF seeded_version IS NULL THEN
    RETURN\073
  END IF\073
  next_version := replace(replace(seeded_version, ''policy-2026.11.2'', ''policy-2026.11.3''), ''+cfg(s-0.7,'', ''+cfg(s-0.85,'')\073
  -- One active version at a time (routing_policies_one_active): retire before activating.
  UPDATE routing_policies SET status = ''retired'', retired_at = now() WHERE version = seeded_version\073
  INSERT INTO routing_policies (version, status, document, created_by, note, activated_at)
  VALUES (next_version, ''active'', jsonb_set(seeded_document, ''{negativeSentimentThreshold}'', ''-0.85''::jsonb), ''system:seed'',
          ''The built-in default with the sentiment threshold at -0.85, from '' || seeded_version || '' (migration 20261130000000).'', now())
  ON CONFLICT (version) DO UPDATE SET status = ''active'', activated_at = now(), retired_at = NULL\073
END
';
