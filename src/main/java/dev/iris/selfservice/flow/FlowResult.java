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
     * The first factor is passed but the identity has a second one: the browser holds an AAL1 session
     * ({@code sessionToken}, set as its cookie) and is sent on to {@code next}, the {@code aal=aal2} login.
     */
    record SecondFactorRequired(String sessionToken, String next) implements FlowResult {
    }
}
