package dev.iris.selfservice.flow;

import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.UUID;

/**
 * A second factor for the {@code aal=aal2} step of a login (Kratos's {@code login.Strategy} at AAL2): {@code totp},
 * {@code lookup_secret}, {@code webauthn}. The login flow owns every generic check — the session, the attempt budgets, the flow's
 * attempt counter, the upgrade of the session — and asks the method only whether the secret is right.
 */
public interface SecondFactorMethod {

    /** The {@code method} value that selects it, and its node group. */
    String id();

    /** Where its nodes go among the second factors' (lower first). */
    int position();

    /** The form field holding the secret. */
    String field();

    /** True for a submission this method handles: one naming it, by default (a script may post without). */
    default boolean claims(Submission submission) {
        return submission.names(id());
    }

    /** The secret as submitted (null when missing); a field of ordinary length by default. */
    default String given(Submission submission) {
        return submission.present(field());
    }

    /**
     * What the method keeps in a new aal2 flow of the identity for its nodes (the identity's security keys, say), or
     * null for nothing. Read again from {@link Flow#pending} by {@link #loginNodes}.
     */
    default Uni<String> prepare(UUID identityId) {
        return Uni.createFrom().nullItem();
    }

    /** Its nodes in the second-factor prompt of {@code flow}. */
    List<UiNode> loginNodes(Flow flow);

    /** Checks {@code given} (stripped, non-blank) for the identity of {@code flow}. */
    Uni<Verdict> verify(Flow flow, String given);

    /** Whether the secret was right. */
    sealed interface Verdict {

        /** Right. {@code factorsChanged}: proving it used up a factor (the last backup code may be gone). */
        record Accepted(boolean factorsChanged) implements Verdict {
        }

        /** Wrong; {@code message} says so. */
        record Refused(UiText message) implements Verdict {
        }
    }

}
