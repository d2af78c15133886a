package dev.iris.selfservice.flow;

/**
 * What a flow service answers, before it is HTTP: {@code http.FlowAnswers} alone turns it into a status, a body,
 * cookies and redirects — for api clients, SPAs and browser form posts alike.
 */
public sealed interface FlowResult {

    /** The flow again, to be continued (400, as Kratos answers a form that needs more input). */
    record Form(FlowView view) implements FlowResult {
    }

    /** The flow after a change was saved, or new secrets are on show (200; settings). */
    record Updated(FlowView view) implements FlowResult {
    }

    /**
     * Signed in, up, or raised to AAL2. {@code sessionToken}: the new session's token (null when none); api
     * clients get it in the body, browsers as the session cookie. {@code session} / {@code identity}: the JSON to
     * include (null: left out). {@code returnTo}: where a browser goes next (null for api clients).
     */
    record Success(String sessionToken, Object session, Object identity, String returnTo) implements FlowResult {

        public boolean browser() {
            return returnTo != null;
        }
    }

    /**
     * The browser must go on to {@code next}: a form post is answered by a 303 there, JSON callers (SPAs) by 422
     * {@code browser_location_change_required} naming it. {@code sessionToken}, when not null,
     * is set as the session cookie. For example: the first factor is passed but the identity has a second one (the
     * {@code aal=aal2} login is next), or an account was recovered (its settings flow is next).
     */
    record BrowserLocationChange(String sessionToken, String next) implements FlowResult {
    }
}
