package dev.iris.selfservice.flow;

import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import io.smallrye.mutiny.Uni;

import java.util.List;

/**
 * A way to sign in or sign up (Kratos's {@code login.Strategy} / {@code registration.Strategy}): the {@code code}
 * and {@code passkey} methods. A method that proves an address may also plug into recovery and verification
 * ({@link #supports}; Kratos's {@code recovery.Strategy} / {@code verification.Strategy}). A method is a CDI bean in its own package; the login and registration flows find
 * every bean of this type and dispatch submissions by {@link #id()} — adding a method needs no edit there.
 */
public interface FirstFactorMethod {

    /** The {@code method} value that selects it, and its node group. */
    String id();

    /** True when it plugs into flows of {@code kind}: login and registration by default (not recovery, verification). */
    default boolean supports(FlowKind kind) {
        return kind == FlowKind.LOGIN || kind == FlowKind.REGISTRATION;
    }

    /**
     * True for a submission this method takes without being named in {@code method}: a script that posts its own
     * field (the passkey assertion) sends no {@code method}. A submission that names a method goes to that one.
     */
    default boolean claims(Submission submission) {
        return false;
    }

    /** Its nodes for {@code flow} as it stands; {@code address}: the flow's address (opened), or null. */
    List<UiNode> nodes(Flow flow, String address);

    /** What it says about {@code flow} in its state when nothing else was said (e.g. "code sent"); none by default. */
    default List<UiText> messages(Flow flow) {
        return List.of();
    }

    /**
     * True when this submission may come from a browser other than the one that started the flow (an emailed link
     * opened on another device): the CSRF check then accepts the submitting browser's own pair on an api flow.
     */
    default boolean crossDevice(Submission submission) {
        return false;
    }

    /** Handles a submission that named this method. Never saves the flow: see {@link Outcome}. */
    Uni<Outcome> submit(Flow flow, Submission submission, SubmitContext context);

    /**
     * Called when a flow of a kind it supports was passed — by any method — before the answer goes out: what this
     * method kept in the flow ({@link Flow#pending}, from a {@link Outcome.Handover}) may now be stored for the
     * identity. {@code submission}: the one that passed it. Nothing by default.
     */
    default Uni<Void> passed(Flow flow, Outcome.Passed passed, Submission submission, SubmitContext context) {
        return Uni.createFrom().voidItem();
    }
}
