-- Issue 19: passkeys (and, later, security keys as a second factor). One row per WebAuthn credential. The public
-- key is not a secret; what makes a credential usable is the private key, which never leaves the authenticator.
CREATE TABLE webauthn_credentials (
    credential_id   bytea       PRIMARY KEY,
    identity_id     uuid        NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    kind            text        NOT NULL CHECK (kind IN ('passkey', 'webauthn')),
    user_handle     bytea       NOT NULL,
    public_key      bytea       NOT NULL,          -- the COSE key, CBOR-encoded
    aaguid          uuid        NOT NULL,
    sign_count      bigint      NOT NULL,
    transports      text        NOT NULL DEFAULT '',
    uv_initialized  boolean     NOT NULL,
    backup_eligible boolean     NOT NULL,
    backup_state    boolean     NOT NULL,
    display_name    text        NOT NULL,
    created_at      timestamptz NOT NULL,
    last_used_at    timestamptz
);
CREATE INDEX webauthn_credentials_identity ON webauthn_credentials (identity_id);
