package dev.iris.selfservice.flow;

import dev.iris.identity.Identity;
import dev.iris.selfservice.ui.UiText;
import dev.iris.session.SessionIssuer;
import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.List;

/**
 * What a first-factor method made of a submission. Methods never save flows: the flow service applies an outcome
 * (the state transition, the answer) and is the only writer of the flow.
 */
public sealed interface Outcome {

    /**
     * The form again, unchanged flow: {@code messages} for the whole form, {@code fieldMessage} on the node called
     * {@code field} (both may be empty / null), and the address to echo in the address field (null: none).
     */
    record Shown(List<UiText> messages, String field, UiText fieldMessage, String address) implements Outcome {

        public static Shown message(UiText message, String address) {
            return new Shown(List.of(message), null, null, address);
        }

        public static Shown onField(String field, UiText message, String address) {
            return new Shown(List.of(), field, message, address);
        }
    }

    /**
     * An email is on its way (or, the address's quota spent, silently not): the flow moves to {@code sent_email}
     * holding {@code sealedAddress}, and only then {@code delivery} runs — the worker may deliver the email the
     * moment the code is committed, and a code typed from it must find the flow expecting it. When delivery fails
     * the flow is put back as it was, so it never claims an email that was not queued. {@code delivery} is cold: the
     * flow service subscribes to it exactly once.
     */
    record EmailSent(String sealedAddress, Instant resendAt, Uni<Void> delivery) implements Outcome {
    }

    /**
     * This method's part is done but the flow is not: the flow keeps {@code pending} (sealed) for it, and the method
     * {@code next} handles {@code submission} (a passkey made for a sign-up waits while the code method proves the
     * address; {@link FirstFactorMethod#passed} stores it once the flow is passed).
     */
    record Handover(String pending, String next, Submission submission) implements Outcome {
    }

    /** The challenge is passed: {@code session} is the new session (null for a sign-up without one). */
    record Passed(Identity identity, SessionIssuer.Issued session, String sessionJson) implements Outcome {
    }
}
