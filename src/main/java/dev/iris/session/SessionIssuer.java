package dev.iris.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iris.config.IrisConfig;
import dev.iris.identity.Identity;
import dev.iris.identity.IdentityView;
import dev.iris.crypto.Digests;
import dev.iris.crypto.RandomSecrets;
import dev.iris.support.StoredJson;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Creates sessions inside the caller's transaction and renders them as Kratos session JSON. The raw token
 * is returned once to the caller and never stored.
 */
@Singleton
public class SessionIssuer {

    private static final TypeReference<List<SessionView.AuthMethod>> METHODS = new TypeReference<>() {
    };

    private final SessionRepository sessions;
    private final SessionCache cache;
    private final RandomSecrets secrets;
    private final ObjectMapper json;
    private final StoredJson stored;
    private final IrisConfig config;
    private final Clock clock;

    public SessionIssuer(SessionRepository sessions, SessionCache cache, RandomSecrets secrets, ObjectMapper json,
                         StoredJson stored, IrisConfig config, Clock clock) {
        this.sessions = sessions;
        this.cache = cache;
        this.secrets = secrets;
        this.json = json;
        this.stored = stored;
        this.config = config;
        this.clock = clock;
    }

    /** A freshly issued session: the raw token exists only in this object, on its way to the response. */
    public record Issued(String token, AuthSession session, Identity identity) {
    }

    /** Persists a new AAL1 session for {@code identity}; must run inside a transaction. */
    public Uni<Issued> issue(Identity identity, String method, ClientInfo client) {
        return issue(identity, method, "aal1", client);
    }

    /**
     * Persists a new session at {@code aal} for {@code identity}: {@code aal2} for a method that is multi-factor on
     * its own (a passkey with user verification); must run inside a transaction.
     */
    public Uni<Issued> issue(Identity identity, String method, String aal, ClientInfo client) {
        Issued issued = prepare(identity.id, method, aal, client);
        return sessions.persist(issued.session()).replaceWith(new Issued(issued.token(), issued.session(), identity));
    }

    /**
     * A new AAL1 session for the identity {@code identityId}, not stored yet: for a caller that inserts it in its
     * own statement (the code method signs in with one). The identity is filled in by that caller.
     */
    public Issued prepare(UUID identityId, String method, ClientInfo client) {
        return prepare(identityId, method, "aal1", client);
    }

    private Issued prepare(UUID identityId, String method, String aal, ClientInfo client) {
        Instant now = clock.instant();
        String token = secrets.sessionToken();
        AuthSession session = new AuthSession();
        session.id = UUID.randomUUID();
        session.tokenHash = Digests.sha256(token);
        session.identityId = identityId;
        session.aal = aal;
        session.methods = stored.write(List.of(new SessionView.AuthMethod(method, aal, now)));
        session.authenticatedAt = now;
        session.issuedAt = now;
        session.expiresAt = now.plus(config.session().lifespan());
        session.deviceId = UUID.randomUUID();
        session.ipAddress = client.ipAddress();
        session.userAgent = client.userAgent();
        return new Issued(token, session, null);
    }

    /**
     * Raises a session to AAL2 after a second factor ({@code totp} or {@code lookup_secret}); must run inside a
     * transaction. The session keeps its id, devices and expiry and gains the method in
     * {@code authentication_methods}.
     */
    public void raise(AuthSession session, String method) {
        Instant now = clock.instant();
        List<SessionView.AuthMethod> methods = new java.util.ArrayList<>(stored.read(session.methods, METHODS));
        methods.add(new SessionView.AuthMethod(method, "aal2", now));
        session.methods = stored.write(methods);
        session.aal = "aal2";
    }

    /**
     * {@link #raise} under a new token, returned here: whoever holds the AAL1 token (someone with access to the
     * mailbox) must not gain AAL2 from the user's second factor.
     */
    public String upgrade(AuthSession session, String method) {
        raise(session, method);
        String token = secrets.sessionToken();
        session.tokenHash = Digests.sha256(token);
        return token;
    }

    public SessionView view(AuthSession session, Identity identity) {
        return view(session, identity, true);
    }

    /** {@code withIdentity=false}: Kratos leaves the identity out of a session that still lacks its AAL2. */
    public SessionView view(AuthSession session, Identity identity, boolean withIdentity) {
        Instant now = clock.instant();
        return new SessionView(session.id, session.activeAt(now), session.expiresAt, session.authenticatedAt,
                session.issuedAt, session.aal, stored.read(session.methods, METHODS),
                withIdentity ? IdentityView.of(identity) : null,
                List.of(new SessionView.Device(session.deviceId, session.ipAddress, session.userAgent)));
    }

    /** True when the session is AAL1 while its identity has a second factor. */
    public static boolean aal2Missing(AuthSession session, Identity identity) {
        return "aal1".equals(session.aal) && identity.hasSecondFactor();
    }

    /**
     * Puts the session's whoami JSON into the cache, for at most {@code iris.session.cache-ttl}, unless the key
     * holds anything already: for a token just issued (a tombstone there means it was revoked meanwhile).
     */
    public Uni<SessionCache.Entry> cache(AuthSession session, Identity identity) {
        return cache(session, identity, "");
    }

    /** Like {@link #cache}, but writes only over {@code seen}: what a refill found before it read Postgres. */
    public Uni<SessionCache.Entry> cache(AuthSession session, Identity identity, String seen) {
        Duration remaining = Duration.between(clock.instant(), session.expiresAt);
        Duration ttl = remaining.compareTo(config.session().cacheTtl()) < 0 ? remaining : config.session().cacheTtl();
        SessionCache.Entry entry = entryOf(session, identity);
        return cache.refill(session.tokenHash, seen, entry, ttl).replaceWith(entry);
    }

    /**
     * Like {@link #cache}, but a Redis failure only costs the cache: whoami keeps answering from Postgres (the
     * source of truth) while Redis is away, and the cache refills when it is back.
     */
    public Uni<SessionCache.Entry> cacheIfPossible(AuthSession session, Identity identity) {
        return cacheIfPossible(session, identity, "");
    }

    public Uni<SessionCache.Entry> cacheIfPossible(AuthSession session, Identity identity, String seen) {
        return cache(session, identity, seen).onFailure().recoverWithItem(failure -> {
            io.quarkus.logging.Log.warnf("Session cache unavailable (%s); answered from Postgres",
                    failure.getClass().getSimpleName());
            return entryOf(session, identity);
        });
    }

    SessionCache.Entry entryOf(AuthSession session, Identity identity) {
        return new SessionCache.Entry(session.expiresAt, identity.id, session.id, aal2Missing(session, identity),
                renderJson(session, identity));
    }

    public String renderJson(AuthSession session, Identity identity) {
        return write(view(session, identity));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("session JSON", e);
        }
    }
}
