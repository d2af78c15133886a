package dev.iris.selfservice.flow;

import dev.iris.selfservice.ui.UiText;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A self-service flow as kept in Redis. The address the user typed is kept only sealed (AES-GCM), never in
 * the clear. Immutable: every change makes a new value that {@link FlowStore} writes back — only flow services
 * do, never methods.
 *
 * <p>Second-factor login flows ({@code requestedAal = aal2}) and settings flows belong to one identity
 * ({@code identityId}); a settings flow also holds, per method id, what the method shows but has not stored yet
 * — the TOTP secret being enrolled, freshly generated backup codes — sealed ({@code pending}).
 */
public record Flow(UUID id, FlowKind kind, FlowType type, FlowState state, String active, Instant issuedAt,
                   Instant expiresAt, Instant updatedAt, String requestUrl, String returnTo, String requestedAal,
                   boolean refresh, String sealedIdentifier, Instant resendAt, String owner,
                   List<UiText> messages, UUID identityId, Map<String, String> pending, String language) {

    public Flow {
        pending = pending == null ? Map.of() : Map.copyOf(pending);
    }

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

    /** Where a browser goes on to once the flow is done: its {@code return_to}, else {@code fallback}. */
    public String continueTo(String fallback) {
        return returnTo != null ? returnTo : fallback;
    }

    /** What {@code methodId} keeps on show in this flow (sealed), or null. */
    public String pending(String methodId) {
        return pending.get(methodId);
    }

    /** The code went out (or, silently limited, did not); {@code resendAt}: when the next send is allowed. */
    public Flow sentEmail(String method, String sealedIdentifier, Instant now, Instant resendAt) {
        Change change = change(FlowState.Event.EMAIL_SENT, now);
        change.active = method;
        change.sealedIdentifier = sealedIdentifier;
        change.resendAt = resendAt;
        return change.flow();
    }

    /** The challenge is passed (login, registration) or a settings change saved. */
    public Flow passed(Instant now) {
        return change(kind == FlowKind.SETTINGS ? FlowState.Event.SAVED : FlowState.Event.CHALLENGE_PASSED, now)
                .flow();
    }

    /** The messages a browser should see when the page shows this flow again (after a form post's redirect). */
    public Flow withMessages(List<UiText> shown) {
        Change change = new Change(this);
        change.messages = shown;
        return change.flow();
    }

    /** The same flow, shown from now on to the browser with this mark (see {@code CsrfTokens}). */
    public Flow ownedBy(String newOwner) {
        return new Flow(id, kind, type, state, active, issuedAt, expiresAt, updatedAt, requestUrl, returnTo,
                requestedAal, refresh, sealedIdentifier, resendAt, newOwner, messages, identityId, pending, language);
    }

    /** Settings: what the methods offer in a new flow (method id → sealed), replacing what it held. */
    public Flow offering(Map<String, String> offers) {
        return new Flow(id, kind, type, state, active, issuedAt, expiresAt, updatedAt, requestUrl, returnTo,
                requestedAal, refresh, sealedIdentifier, resendAt, owner, messages, identityId, offers, language);
    }

    /**
     * The language the flow's emails are written in: the submitting request's ({@code support.Languages}, from its
     * Accept-Language) when it names one of ours, else the one the flow had.
     */
    public Flow speaking(String requested) {
        return requested == null || requested.equals(language) ? this
                : new Flow(id, kind, type, state, active, issuedAt, expiresAt, updatedAt, requestUrl, returnTo,
                requestedAal, refresh, sealedIdentifier, resendAt, owner, messages, identityId, pending, requested);
    }

    /** {@code methodId} keeps {@code sealed} in the flow, which is otherwise unchanged (see {@code Outcome.Handover}). */
    public Flow keeping(String methodId, String sealed) {
        Change change = new Change(this);
        change.pending(methodId, sealed);
        return change.flow();
    }

    /** Settings: {@code methodId} shows {@code sealed} (null: nothing) and becomes the active method. */
    public Flow showing(String methodId, String sealed, Instant now) {
        Change change = new Change(this);
        change.active = methodId;
        change.updatedAt = now;
        change.messages = null;
        change.pending(methodId, sealed);
        return change.flow();
    }

    /** Settings: a change of {@code methodId} was saved; it now shows {@code sealed} (null: nothing). */
    public Flow saved(String methodId, String sealed, List<UiText> shown, Instant now) {
        Change change = change(FlowState.Event.SAVED, now);
        change.pending(methodId, sealed);
        change.messages = shown;
        return change.flow();
    }

    /** A transition: the new state, the time, and messages cleared (they belonged to the old state). */
    private Change change(FlowState.Event event, Instant now) {
        Change change = new Change(this);
        change.state = state.after(event);
        change.updatedAt = now;
        change.messages = null;
        return change;
    }

    /** The fields a change may touch; the rest are copied once, here. */
    private static final class Change {
        private final Flow from;
        private FlowState state;
        private String active;
        private Instant updatedAt;
        private String sealedIdentifier;
        private Instant resendAt;
        private List<UiText> messages;
        private final Map<String, String> pending;

        Change(Flow from) {
            this.from = from;
            this.state = from.state;
            this.active = from.active;
            this.updatedAt = from.updatedAt;
            this.sealedIdentifier = from.sealedIdentifier;
            this.resendAt = from.resendAt;
            this.messages = from.messages;
            this.pending = new LinkedHashMap<>(from.pending);
        }

        void pending(String methodId, String sealed) {
            if (sealed == null) {
                pending.remove(methodId);
            } else {
                pending.put(methodId, sealed);
            }
        }

        Flow flow() {
            return new Flow(from.id, from.kind, from.type, state, active, from.issuedAt, from.expiresAt, updatedAt,
                    from.requestUrl, from.returnTo, from.requestedAal, from.refresh, sealedIdentifier, resendAt,
                    from.owner, messages, from.identityId, pending, from.language);
        }
    }
}
