package dev.iris.selfservice.flow;

import dev.iris.http.CsrfTokens;
import dev.iris.selfservice.ui.UiText;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A self-service flow as kept in Redis. The address the user typed is kept only sealed (AES-GCM), never in
 * the clear. Immutable: every change makes a new value that {@link FlowStore} writes back.
 *
 * <p>Second-factor login flows ({@code requestedAal = aal2}) and settings flows belong to one identity
 * ({@code identityId}); a settings flow also holds the secrets it is showing but has not stored yet — the TOTP
 * secret being enrolled and freshly generated backup codes — sealed.
 */
public record Flow(UUID id, FlowKind kind, FlowType type, FlowState state, String active, Instant issuedAt,
                   Instant expiresAt, Instant updatedAt, String requestUrl, String returnTo, String requestedAal,
                   boolean refresh, String sealedIdentifier, Instant resendAt, String owner,
                   List<UiText> messages, UUID identityId, String sealedTotp, String sealedLookup) {

    public static Flow create(FlowKind kind, FlowType type, Instant now, Instant expiresAt, String requestUrl,
                              String returnTo, boolean refresh) {
        return create(kind, type, now, expiresAt, requestUrl, returnTo, refresh, null);
    }

    /** {@code owner}: for browser flows, the mark of the browser that started it (see {@code CsrfTokens}). */
    public static Flow create(FlowKind kind, FlowType type, Instant now, Instant expiresAt, String requestUrl,
                              String returnTo, boolean refresh, String owner) {
        return new Flow(UUID.randomUUID(), kind, type, FlowState.CHOOSE_METHOD, null, now, expiresAt, now,
                requestUrl, returnTo, "aal1", refresh, null, null, owner, null, null, null, null);
    }

    /** A flow that belongs to one signed-in identity: a second-factor login ({@code aal2}) or settings. */
    public static Flow forIdentity(FlowKind kind, FlowType type, Instant now, Instant expiresAt, String requestUrl,
                                   String returnTo, String owner, UUID identityId, String requestedAal) {
        FlowState state = kind == FlowKind.SETTINGS ? FlowState.SHOW_FORM : FlowState.CHOOSE_METHOD;
        return new Flow(UUID.randomUUID(), kind, type, state, null, now, expiresAt, now, requestUrl, returnTo,
                requestedAal, false, null, null, owner, null, identityId, null, null);
    }

    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }

    public boolean secondFactor() {
        return kind == FlowKind.LOGIN && "aal2".equals(requestedAal);
    }

    /** The code went out (or, silently limited, did not); {@code resendAt}: when the next send is allowed. */
    public Flow sentEmail(String method, String sealedIdentifier, Instant now, Instant resendAt) {
        return new Flow(id, kind, type, FlowState.SENT_EMAIL, method, issuedAt, expiresAt, now, requestUrl, returnTo,
                requestedAal, refresh, sealedIdentifier, resendAt, owner, null, identityId, sealedTotp, sealedLookup);
    }

    public Flow passed(Instant now) {
        FlowState done = kind == FlowKind.SETTINGS ? FlowState.SUCCESS : FlowState.PASSED_CHALLENGE;
        return new Flow(id, kind, type, done, active, issuedAt, expiresAt, now, requestUrl,
                returnTo, requestedAal, refresh, sealedIdentifier, resendAt, owner, null, identityId, sealedTotp,
                sealedLookup);
    }

    /** The messages a browser should see when the page shows this flow again (after a form post's redirect). */
    public Flow withMessages(List<UiText> shown) {
        return new Flow(id, kind, type, state, active, issuedAt, expiresAt, updatedAt, requestUrl, returnTo,
                requestedAal, refresh, sealedIdentifier, resendAt, owner, shown, identityId, sealedTotp, sealedLookup);
    }

    /** Settings: the secrets on show (sealed); null clears one. */
    public Flow withPending(String method, String totp, String lookup, Instant now) {
        return new Flow(id, kind, type, state, method, issuedAt, expiresAt, now, requestUrl, returnTo,
                requestedAal, refresh, sealedIdentifier, resendAt, owner, null, identityId, totp, lookup);
    }
}
