package dev.iris.selfservice.flow;

import dev.iris.mail.MailPayload;
import io.smallrye.mutiny.Uni;

/**
 * A first-factor method that can invite an address to sign up (the {@code code} method, for the "no account for
 * this address" email): it issues what {@code flow}, a new registration flow, needs and answers the email's
 * content; the caller saves the flow.
 */
public interface SignUpInvitingMethod extends FirstFactorMethod {

    Uni<MailPayload> invite(Flow flow, String email);
}
