package dev.iris.method.code;

import dev.iris.identity.Identity;
import dev.iris.selfservice.ui.UiText;
import dev.iris.session.SessionIssuer;

import java.util.List;

/** How a code or link submission ended. */
public sealed interface Redemption {

    /**
     * Signed in (or, for a registration without the session hook, just created): {@code session} may be null.
     * {@code sessionJson}: the session's whoami JSON once it is cached, to answer with as is.
     */
    record Success(Identity identity, SessionIssuer.Issued session, String sessionJson) implements Redemption {

        public Success(Identity identity, SessionIssuer.Issued session) {
            this(identity, session, null);
        }
    }

    /** Wrong, expired, used, or for an address without identity: all look the same (4010008 / 4040003). */
    record Invalid() implements Redemption {
    }

    /** The flow's attempt budget is spent (4000001); a new flow is needed. */
    record Exhausted() implements Redemption {
    }

    /**
     * The code was right, but the before-login hook said no: its messages, for the form and for the address field.
     * Not a failed attempt (no budget is charged); the code stays unspent.
     */
    record Denied(List<UiText> messages, UiText addressMessage) implements Redemption {
    }

    /** Right code, whatever happened next: budgets treat it as no failure. */
    default boolean codeWasRight() {
        return this instanceof Success || this instanceof Denied;
    }
}
