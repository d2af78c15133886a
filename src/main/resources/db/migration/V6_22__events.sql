-- Issue 22: events for internal callers, delivered as signed webhooks.
--
-- An event is written by a trigger on the table whose change it describes, inside the transaction that makes the
-- change: it exists if and only if the change committed, whichever code path (plain SQL, Hibernate, an admin
-- endpoint, a cascade) made it, and no path can forget to emit it. Iris keeps the list of event types each
-- configured endpoint wants in event_subscriptions (written at start, events.EventSubscriptions); a change whose
-- event nobody wants costs one index lookup and writes nothing. A wanted event gets one events row and one
-- webhook_deliveries row per subscribed endpoint, which the webhook worker (events.WebhookDispatcher) claims and
-- delivers at least once.
--
-- Payloads carry ids, timestamps, AAL and method names — never a code, a link token, a session token or its hash,
-- or a TOTP secret.

ALTER TABLE sessions ADD COLUMN revoked_reason text;

CREATE TABLE event_subscriptions (
    type     text NOT NULL,
    endpoint text NOT NULL,
    PRIMARY KEY (type, endpoint)
);

CREATE TABLE events (
    id          uuid PRIMARY KEY,
    type        text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    data        jsonb       NOT NULL,
    tx          bigint      NOT NULL DEFAULT txid_current(),
    once_key    text
);
CREATE INDEX events_tx ON events (tx);
CREATE INDEX events_occurred ON events (occurred_at);

CREATE TABLE webhook_deliveries (
    id              uuid PRIMARY KEY,
    event_id        uuid        NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    endpoint        text        NOT NULL,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    settled_at      timestamptz,
    last_status     integer,
    last_error      text,
    CONSTRAINT webhook_deliveries_once UNIQUE (event_id, endpoint)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint, next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_listed ON webhook_deliveries (endpoint, created_at DESC);

-- Whether any endpoint wants events of this type: triggers ask first, so a change nobody listens to builds no payload.
CREATE FUNCTION iris_wanted(event_type text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM event_subscriptions WHERE type = event_type)
$$;

-- Emits one event to every endpoint subscribed to its type. With once_per_tx, an event of the same type and key
-- already emitted by this transaction is not emitted again (eleven backup codes inserted make one event).
CREATE FUNCTION iris_emit(event_type text, payload jsonb, once_per_tx text DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    new_id uuid;
BEGIN
    IF NOT iris_wanted(event_type) THEN
        RETURN;
    END IF;
    IF once_per_tx IS NOT NULL AND EXISTS (SELECT 1 FROM events WHERE tx = txid_current() AND type = event_type
                                               AND once_key = once_per_tx) THEN
        RETURN;
    END IF;
    new_id := gen_random_uuid();
    INSERT INTO events (id, type, occurred_at, data, once_key)
    VALUES (new_id, event_type, clock_timestamp(), payload, once_per_tx);
    INSERT INTO webhook_deliveries (id, event_id, endpoint, next_attempt_at, created_at)
    SELECT gen_random_uuid(), new_id, endpoint, 'epoch'::timestamptz, clock_timestamp()
    FROM event_subscriptions WHERE type = event_type;
END $$;

-- Timestamps in payloads: RFC 3339 in UTC, whatever the connection's time zone.
CREATE FUNCTION iris_ts(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- The method names of a session's authentication_methods ([{"method":"code","aal":"aal1",...}]).
CREATE FUNCTION iris_method_names(methods text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_agg(m ->> 'method'), '[]'::jsonb) FROM jsonb_array_elements(methods::jsonb) AS m
$$;

CREATE FUNCTION iris_session_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF iris_wanted('session.created') THEN
            PERFORM iris_emit('session.created', jsonb_build_object('session_id', NEW.id, 'identity_id',
                NEW.identity_id, 'aal', NEW.aal, 'methods', iris_method_names(NEW.methods), 'authenticated_at',
                iris_ts(NEW.authenticated_at), 'expires_at', iris_ts(NEW.expires_at)));
        END IF;
        IF iris_wanted('recovery.completed') THEN
            IF iris_method_names(NEW.methods) ? 'code_recovery' THEN
                PERFORM iris_emit('recovery.completed', jsonb_build_object('identity_id', NEW.identity_id,
                    'session_id', NEW.id, 'completed_at', iris_ts(NEW.authenticated_at)));
            END IF;
        END IF;
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        IF OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL THEN
            PERFORM iris_emit('session.revoked', jsonb_build_object('session_id', NEW.id,
                'identity_id', NEW.identity_id, 'reason', coalesce(NEW.revoked_reason, 'unknown'),
                'revoked_at', iris_ts(NEW.revoked_at)));
        ELSIF NEW.aal <> OLD.aal AND NEW.revoked_at IS NULL THEN
            PERFORM iris_emit('session.aal_raised', jsonb_build_object('session_id', NEW.id,
                'identity_id', NEW.identity_id, 'aal', NEW.aal, 'previous_aal', OLD.aal,
                'methods', iris_method_names(NEW.methods), 'raised_at', iris_ts(clock_timestamp())));
        END IF;
        RETURN NEW;
    ELSE
        -- a live session removed with its identity; expired and revoked rows the janitor removes are not news
        IF OLD.revoked_at IS NULL AND OLD.expires_at > now() THEN
            PERFORM iris_emit('session.revoked', jsonb_build_object('session_id', OLD.id,
                'identity_id', OLD.identity_id, 'reason', 'deletion', 'revoked_at', iris_ts(clock_timestamp())));
        END IF;
        RETURN OLD;
    END IF;
END $$;
CREATE TRIGGER sessions_events AFTER INSERT OR UPDATE OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION iris_session_events();

CREATE FUNCTION iris_identity_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM iris_emit('identity.created', jsonb_build_object('identity_id', NEW.id, 'email', NEW.email,
            'verified', NEW.email_verified, 'created_at', iris_ts(NEW.created_at)));
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        IF NEW.email <> OLD.email THEN
            PERFORM iris_emit('identity.updated', jsonb_build_object('identity_id', NEW.id, 'change', 'address_changed',
                'email', NEW.email, 'verified', NEW.email_verified, 'updated_at', iris_ts(NEW.updated_at)));
        ELSIF NEW.email_verified AND NOT OLD.email_verified THEN
            PERFORM iris_emit('identity.updated', jsonb_build_object('identity_id', NEW.id, 'change', 'address_verified',
                'email', NEW.email, 'verified', true, 'updated_at', iris_ts(NEW.updated_at)));
        END IF;
        RETURN NEW;
    ELSE
        PERFORM iris_emit('identity.deleted', jsonb_build_object('identity_id', OLD.id, 'deleted_at', iris_ts(clock_timestamp())));
        RETURN OLD;
    END IF;
END $$;
CREATE TRIGGER identities_events AFTER INSERT OR UPDATE OR DELETE ON identities
    FOR EACH ROW EXECUTE FUNCTION iris_identity_events();

-- Second factors (and passkeys) are judged at commit (deferred), on the final state: backup codes replaced in one
-- transaction are one "added", a factor removed together with its identity is no event of its own
-- (identity.deleted says it), and several rows changed together are one event.
CREATE FUNCTION iris_factor_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    row_identity uuid;
    method       text;
    present      boolean;
BEGIN
    -- (one branch per table and operation: PL/pgSQL plans a statement when it first runs it, and OLD.kind exists
    -- only for webauthn_credentials, OLD only for a DELETE)
    IF TG_OP = 'DELETE' THEN
        row_identity := OLD.identity_id;
    ELSE
        row_identity := NEW.identity_id;
    END IF;
    IF TG_TABLE_NAME = 'totp_credentials' THEN
        method := 'totp';
    ELSIF TG_TABLE_NAME = 'lookup_secrets' THEN
        method := 'lookup_secret';
    ELSIF TG_OP = 'DELETE' THEN
        method := OLD.kind;
    ELSE
        method := NEW.kind;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM identities WHERE id = row_identity) THEN
        RETURN NULL;
    END IF;
    present := CASE TG_TABLE_NAME
        WHEN 'totp_credentials' THEN EXISTS (SELECT 1 FROM totp_credentials WHERE identity_id = row_identity)
        WHEN 'lookup_secrets' THEN EXISTS (SELECT 1 FROM lookup_secrets WHERE identity_id = row_identity)
        ELSE EXISTS (SELECT 1 FROM webauthn_credentials WHERE identity_id = row_identity AND kind = method) END;
    IF TG_OP = 'INSERT' AND present THEN
        PERFORM iris_emit(CASE WHEN method = 'passkey' THEN 'passkey.added' ELSE 'second_factor.added' END,
            jsonb_build_object('identity_id', row_identity, 'method', method, 'changed_at', iris_ts(clock_timestamp())),
            row_identity::text || '/' || method);
    ELSIF TG_OP = 'DELETE' AND NOT present THEN
        PERFORM iris_emit(CASE WHEN method = 'passkey' THEN 'passkey.removed' ELSE 'second_factor.removed' END,
            jsonb_build_object('identity_id', row_identity, 'method', method, 'changed_at', iris_ts(clock_timestamp())),
            row_identity::text || '/' || method);
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER totp_events AFTER INSERT OR DELETE ON totp_credentials
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION iris_factor_events();
CREATE CONSTRAINT TRIGGER lookup_events AFTER INSERT OR DELETE ON lookup_secrets
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION iris_factor_events();
CREATE CONSTRAINT TRIGGER webauthn_events AFTER INSERT OR DELETE ON webauthn_credentials
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION iris_factor_events();
