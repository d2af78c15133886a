package dev.iris.mail;

import io.smallrye.mutiny.Uni;

/** Makes a working sign-up link + code for an address (used by the "no account for this address" email). */
public interface SignUpInvitations {

    Uni<MailPayload> invite(String email);
}
