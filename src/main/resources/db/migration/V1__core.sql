-- Iris core schema: identities, login codes (hashes only), sessions (token hashes only), mail outbox.

CREATE TABLE identities (
    id             uuid PRIMARY KEY,
    email          text        NOT NULL,
    state          text        NOT NULL DEFAULT 'active',
    address_id     uuid        NOT NULL,
    email_verified boolean     NOT NULL DEFAULT false,
    verified_at    timestamptz,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    CONSTRAINT identities_email_unique UNIQUE (email),
    CONSTRAINT identities_email_normalised CHECK (email = lower(btrim(email)) AND length(email) <= 254)
);

-- code_hash and link_hash are HMAC-SHA256 values; the raw code and link token are never stored.
CREATE TABLE login_codes (
    id          uuid PRIMARY KEY,
    flow_id     uuid        NOT NULL,
    identity_id uuid REFERENCES identities (id) ON DELETE CASCADE,
    code_hash   bytea       NOT NULL,
    link_hash   bytea       NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX login_codes_open_by_flow ON login_codes (flow_id) WHERE used_at IS NULL;
CREATE INDEX login_codes_identity ON login_codes (identity_id);
CREATE INDEX login_codes_expires ON login_codes (expires_at);

-- token_hash is SHA-256 of the bearer token; the token itself is never stored.
CREATE TABLE sessions (
    id               uuid PRIMARY KEY,
    token_hash       bytea       NOT NULL,
    identity_id      uuid        NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    aal              text        NOT NULL,
    methods          text        NOT NULL,
    authenticated_at timestamptz NOT NULL,
    issued_at        timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    revoked_at       timestamptz,
    device_id        uuid        NOT NULL,
    ip_address       text,
    user_agent       text,
    CONSTRAINT sessions_token_hash_unique UNIQUE (token_hash)
);
CREATE INDEX sessions_identity ON sessions (identity_id);

-- Durable mail queue (transactional outbox). payload is AES-GCM sealed.
CREATE TABLE mail_outbox (
    id              uuid PRIMARY KEY,
    flow_id         uuid,
    template        text        NOT NULL,
    payload         bytea       NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    last_error      text,
    dead_at         timestamptz
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE dead_at IS NULL;
