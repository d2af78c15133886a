package dev.iris.session;

import dev.iris.config.IrisConfig;
import dev.iris.identity.Identity;
import dev.iris.identity.IdentityRepository;
import dev.iris.support.ApiException;
import dev.iris.support.SelfServiceUrls;
import dev.iris.crypto.Digests;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Answers whoami from the cache (falling back to Postgres), slides the expiry of sessions in use, and ends
 * sessions on logout.
 *
 * <p>Sliding expiry without a write per request: a session is due for extension once
 * {@code expires_at - lifespan + refresh-interval} has passed (derivable from the cached entry alone); the first
 * request to see that claims a Redis {@code SET NX} for one interval and is the only one that writes Postgres.
 */
@Singleton
public class SessionService {

    private final SessionCache cache;
    private final SessionRepository sessions;
    private final IdentityRepository identities;
    private final SessionIssuer issuer;
    private final SessionAudit audit;
    private final IrisConfig.Session config;
    private final Clock clock;
    private final Counter extended;
    private final SelfServiceUrls urls;

    public SessionService(SessionCache cache, SessionRepository sessions, IdentityRepository identities,
                          SessionIssuer issuer, SessionAudit audit, SelfServiceUrls urls, IrisConfig config,
                          Clock clock, MeterRegistry metrics) {
        this.cache = cache;
        this.sessions = sessions;
        this.identities = identities;
        this.issuer = issuer;
        this.audit = audit;
        this.config = config.session();
        this.clock = clock;
        this.extended = metrics.counter("iris.sessions.extended");
        this.urls = urls;
    }

    /** The active session for a raw token, or a 401 {@code session_inactive} failure. */
    /**
     * The session for whoami and everything that needs a full session: {@link #current}, and with
     * {@code required-aal=highest_available} an AAL1 session of an identity with a second factor is refused with
     * 403 {@code session_aal2_required} until it completes AAL2.
     */
    public Uni<SessionCache.Entry> whoami(String token) {
        return current(token).invoke(entry -> {
            if (entry.aal2Missing() && config.requiresHighestAal()) {
                throw aal2Required();
            }
        });
    }

    /** The active session holding {@code token}, whatever its AAL (401 {@code session_inactive} otherwise). */
    public Uni<SessionCache.Entry> current(String token) {
        if (token == null || token.isBlank() || token.length() > 512) {
            return Uni.createFrom().failure(ApiException.sessionInactive());
        }
        byte[] hash = Digests.sha256(token);
        return cache.get(hash)
                .onFailure().recoverWithItem(SessionCache.Lookup.ABSENT) // Redis away: Postgres answers
                .chain(found -> found.revoked() ? Uni.createFrom().failure(ApiException.sessionInactive())
                        : found.entry() != null ? fresh(hash, found)
                        : loadAndCache(hash, found.seen()));
    }

    /** A cache hit: refused once expired, extended when due. */
    private Uni<SessionCache.Entry> fresh(byte[] hash, SessionCache.Lookup found) {
        SessionCache.Entry entry = found.entry();
        if (!entry.expiresAt().isAfter(clock.instant())) {
            return Uni.createFrom().failure(ApiException.sessionInactive());
        }
        return dueForExtension(entry) ? extend(hash, found) : Uni.createFrom().item(entry);
    }

    private ApiException aal2Required() {
        return new ApiException(403, "session_aal2_required",
                "An active session was found but it does not fulfill the Authenticator Assurance Level, implying "
                        + "that the session must (re-)authenticate using a second factor.")
                .with("redirect_browser_to", urls.secondFactorLogin(null));
    }

    /**
     * The second step of a login: raises the session holding {@code token} (which must belong to
     * {@code identityId}) to AAL2 with {@code method} under a new token. The old token is tombstoned (refused by
     * every instance at once) and the new one cached. The new token is in the result, for the caller only.
     */
    public Uni<Upgraded> upgrade(String token, UUID identityId, String method) {
        byte[] hash = Digests.sha256(token);
        return upgradeRow(hash, identityId, method)
                .call(() -> cache.revoke(hash))
                .call(upgraded -> issuer.cacheIfPossible(upgraded.session(), upgraded.identity()))
                .invoke(() -> audit.rotated("aal2_upgrade"));
    }

    /**
     * A factor just set up in settings by this session: raises it to AAL2 with {@code method}, keeping its token
     * (the caller already holds the highest level its identity had). Its cache entry is invalidated, so every
     * instance re-reads it at once.
     */
    public Uni<Upgraded> raise(String token, UUID identityId, String method) {
        byte[] hash = Digests.sha256(token);
        return raiseRow(hash, identityId, method)
                .call(() -> cache.invalidate(hash));
    }

    /** A session just raised to AAL2, with its identity and its token when it got a new one (never logged). */
    public record Upgraded(AuthSession session, Identity identity, String token) {
    }

    @WithTransaction
    Uni<Upgraded> upgradeRow(byte[] hash, UUID identityId, String method) {
        return owned(hash, identityId).map(found -> new Upgraded(found.session(), found.identity(),
                issuer.upgrade(found.session(), method)));
    }

    @WithTransaction
    Uni<Upgraded> raiseRow(byte[] hash, UUID identityId, String method) {
        return owned(hash, identityId).invoke(found -> issuer.raise(found.session(), method));
    }

    /** The active session holding the token hash, with its identity, which must be {@code identityId}. */
    private Uni<Upgraded> owned(byte[] hash, UUID identityId) {
        return sessions.findByTokenHashLocked(hash)
                .onItem().ifNull().failWith(ApiException::sessionInactive)
                .invoke(session -> {
                    if (!session.activeAt(clock.instant()) || !session.identityId.equals(identityId)) {
                        throw ApiException.sessionInactive();
                    }
                })
                .chain(session -> identities.findById(identityId)
                        .onItem().ifNull().failWith(ApiException::sessionInactive)
                        .map(identity -> new Upgraded(session, identity, null)));
    }

    private boolean dueForExtension(SessionCache.Entry entry) {
        Instant lastExtended = entry.expiresAt().minus(config.lifespan());
        return !lastExtended.plus(config.refreshInterval()).isAfter(clock.instant());
    }

    private Uni<SessionCache.Entry> extend(byte[] hash, SessionCache.Lookup found) {
        SessionCache.Entry entry = found.entry();
        return cache.claimRefresh(hash, config.refreshInterval()).onFailure().recoverWithItem(false).chain(won -> {
            if (!won) {
                return Uni.createFrom().item(entry);
            }
            Instant now = clock.instant();
            return extendRow(hash, now.plus(config.lifespan()), now)
                    .chain(changed -> {
                        if (changed == 0) {
                            return Uni.createFrom().item(entry);
                        }
                        extended.increment();
                        // A near-cache hit holds no raw value: the entry's own encoding is what Redis held.
                        return loadAndCache(hash, found.seen() != null ? found.seen() : entry.encode());
                    });
        });
    }

    @WithTransaction
    Uni<Integer> extendRow(byte[] hash, Instant newExpiry, Instant now) {
        return sessions.extend(hash, newExpiry, now);
    }

    /**
     * A refill: reads the session from Postgres and caches it only over {@code seen}, what the cache held before
     * the read (so a revocation or invalidation that came in between wins), and not at all when the read took
     * longer than the cache's refill window.
     */
    @WithSession
    Uni<SessionCache.Entry> loadAndCache(byte[] hash, String seen) {
        Instant started = clock.instant();
        return sessions.findByTokenHash(hash)
                .onItem().ifNull().failWith(ApiException::sessionInactive)
                .invoke(session -> {
                    if (!session.activeAt(clock.instant())) {
                        throw ApiException.sessionInactive();
                    }
                })
                .chain(session -> identities.findById(session.identityId)
                        .onItem().ifNull().failWith(ApiException::sessionInactive)
                        .chain(identity -> inTime(started) ? issuer.cacheIfPossible(session, identity, seen)
                                : Uni.createFrom().item(issuer.entryOf(session, identity))));
    }

    private boolean inTime(Instant started) {
        return started.plus(cache.refillWindow()).isAfter(clock.instant());
    }

    /** Revokes the session holding {@code token}; unknown or already revoked tokens are not an error. */
    public Uni<Void> revoke(String token) {
        byte[] hash = Digests.sha256(token);
        return revokeRow(hash)
                .call(() -> cache.revoke(hash))
                .invoke(changed -> {
                    if (changed > 0) {
                        audit.revoked(1, "logout");
                    }
                })
                .replaceWithVoid();
    }

    @WithTransaction
    Uni<Integer> revokeRow(byte[] hash) {
        return sessions.revokeByTokenHash(hash, clock.instant(), "logout");
    }
}
