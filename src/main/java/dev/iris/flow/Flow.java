package dev.iris.flow;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A self-service flow as kept in Redis. The address the user typed is kept only sealed (AES-GCM), never in
 * the clear. Immutable: every change makes a new value that {@link FlowStore} writes back.
 */
public record Flow(UUID id, FlowKind kind, FlowType type, FlowState state, String active, Instant issuedAt,
                   Instant expiresAt, Instant updatedAt, String requestUrl, String returnTo, String requestedAal,
                   boolean refresh, String sealedIdentifier, Instant resendAt, String owner,
                   List<UiText> messages) {

    public static Flow create(FlowKind kind, FlowType type, Instant now, Instant expiresAt, String requestUrl,
                              String returnTo, boolean refresh) {
        return create(kind, type, now, expiresAt, requestUrl, returnTo, refresh, null);
    }

    /** {@code owner}: for browser flows, the mark of the browser that started it (see {@code CsrfTokens}). */
    public static Flow create(FlowKind kind, FlowType type, Instant now, Instant expiresAt, String requestUrl,
                              String returnTo, boolean refresh, String owner) {
        return new Flow(UUID.randomUUID(), kind, type, FlowState.CHOOSE_METHOD, null, now, expiresAt, now,
                requestUrl, returnTo, "aal1", refresh, null, null, owner, null);
    }

    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }

    /** The code went out (or, silently limited, did not); {@code resendAt}: when the next send is allowed. */
    public Flow sentEmail(String method, String sealedIdentifier, Instant now, Instant resendAt) {
        return new Flow(id, kind, type, FlowState.SENT_EMAIL, method, issuedAt, expiresAt, now, requestUrl, returnTo,
                requestedAal, refresh, sealedIdentifier, resendAt, owner, null);
    }

    public Flow passed(Instant now) {
        return new Flow(id, kind, type, FlowState.PASSED_CHALLENGE, active, issuedAt, expiresAt, now, requestUrl,
                returnTo, requestedAal, refresh, sealedIdentifier, resendAt, owner, null);
    }

    /** The messages a browser should see when the page shows this flow again (after a form post's redirect). */
    public Flow withMessages(List<UiText> shown) {
        return new Flow(id, kind, type, state, active, issuedAt, expiresAt, updatedAt, requestUrl, returnTo,
                requestedAal, refresh, sealedIdentifier, resendAt, owner, shown);
    }
}
