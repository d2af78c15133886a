package dev.iris.method.code;

import dev.iris.identity.Identity;
import dev.iris.session.SessionIssuer;

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
}
