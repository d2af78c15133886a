-- Issue 18: unlinking TOTP recomputed available_aal before the credential's deletion was flushed, leaving
-- identities marked 'aal2' with no second factor (every login then stopped at a second-factor step nobody could
-- pass). Recompute it once for every identity from what it holds now.
UPDATE identities SET available_aal = CASE
    WHEN EXISTS (SELECT 1 FROM totp_credentials t WHERE t.identity_id = identities.id)
      OR EXISTS (SELECT 1 FROM lookup_secrets l WHERE l.identity_id = identities.id AND l.used_at IS NULL)
    THEN 'aal2' ELSE 'aal1' END
WHERE available_aal = 'aal2';
