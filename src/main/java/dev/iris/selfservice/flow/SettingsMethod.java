package dev.iris.selfservice.flow;

import dev.iris.identity.Identity;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import io.smallrye.mutiny.Uni;

import java.util.List;

/**
 * A method the settings flow lets a signed-in user manage (Kratos's {@code settings.Strategy}): {@code profile}
 * (the email address), {@code totp}, {@code lookup_secret}. What a method shows but has not stored yet (an authenticator secret on offer, backup
 * codes not confirmed) is kept sealed in the flow under its id ({@link Flow#pending(String)}).
 */
public interface SettingsMethod {

    /** The {@code method} value that selects it, and its node group. */
    String id();

    /** Where its group goes among the settings nodes (lower first). */
    int position();

    /** True for a submission this method handles: one naming it, by default. */
    default boolean claims(Submission submission) {
        return submission.names(id());
    }

    /** What a new settings flow keeps on show for this method (sealed), or null. */
    Uni<String> offer(Identity identity);

    /** Its nodes for the flow as it stands. */
    Uni<List<UiNode>> nodes(Flow flow, Identity identity);

    /** Handles a submission that named this method. Never saves the flow: see {@link Change}. */
    Uni<Change> submit(Flow flow, Submission submission, Identity identity, SubmitContext context);

    /** What a settings submission did. */
    sealed interface Change {

        /** Nothing changed; the form again with {@code message}, or {@code fieldMessage} on {@code field}. */
        record Refused(UiText message, String field, UiText fieldMessage) implements Change {
        }

        /** Nothing stored yet; the flow now shows {@code pending} (sealed) for this method. */
        record Showing(String pending) implements Change {
        }

        /**
         * A factor (or the address) was stored or removed: the flow shows "saved" with {@code pending} (sealed, or
         * null) for this method; {@code proven}, when not null, is the method the user just proved, which raises an
         * AAL1 session.
         */
        record Saved(String proven, String pending) implements Change {
        }
    }
}
