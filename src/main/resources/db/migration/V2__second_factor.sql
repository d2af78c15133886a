-- Second factor: TOTP (secret sealed with AES-GCM, never in the clear) and backup codes (HMACs only).

-- 'aal2' once the identity has a second factor (TOTP or unused backup codes); whoami reads it from the cache entry.
ALTER TABLE identities ADD COLUMN available_aal text NOT NULL DEFAULT 'aal1';

-- last_step: the newest 30-second step accepted; a code is accepted only for a later step, so a TOTP code
-- is good once, across every instance (guarded UPDATE).
CREATE TABLE totp_credentials (
    identity_id   uuid PRIMARY KEY REFERENCES identities (id) ON DELETE CASCADE,
    secret_sealed bytea       NOT NULL,
    last_step     bigint,
    created_at    timestamptz NOT NULL
);

CREATE TABLE lookup_secrets (
    id          uuid PRIMARY KEY,
    identity_id uuid        NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    code_hash   bytea       NOT NULL,
    created_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX lookup_secrets_identity ON lookup_secrets (identity_id);
