-- Issue 16: addresses are now stored in one canonical form (NFC, domain as IDNA A-labels, needless quotes
-- removed, refused when outside the RFC 5321 mailbox grammar). AddressCollisionReport fills this table at every
-- start: identities whose stored addresses are one mailbox once normalised ('collision', same canonical_email),
-- and identities whose stored address is no longer accepted ('invalid', canonical_email NULL). Nothing here is
-- merged or deleted automatically: an operator decides, then deletes the report rows.
CREATE TABLE identity_address_collisions (
    identity_id     uuid        NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    problem         text        NOT NULL CHECK (problem IN ('collision', 'invalid')),
    canonical_email text,
    found_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (identity_id, problem)
);
