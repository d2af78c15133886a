package dev.iris.method.code;

import dev.iris.session.SessionIssuer;

/** How a code or link submission ended. */
public sealed interface Redemption {

    record Success(SessionIssuer.Issued session) implements Redemption {
    }

    /** Wrong, expired, used, or for an address without identity: all look the same (4010008). */
    record Invalid() implements Redemption {
    }

    /** The flow's attempt budget is spent (4000001); a new flow is needed. */
    record Exhausted() implements Redemption {
    }
}
