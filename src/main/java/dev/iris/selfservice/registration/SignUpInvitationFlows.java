package dev.iris.selfservice.registration;

import dev.iris.config.IrisConfig;
import dev.iris.crypto.SecretCipher;
import dev.iris.mail.MailPayload;
import dev.iris.mail.SignUpInvitations;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowStore;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.SignUpInvitingMethod;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;

/**
 * Sign-up invitations for addresses that tried to log in without an account: a new api registration flow, already
 * "sent" to the address, with a code and link from the inviting method. Called by the mail worker, off the request
 * path.
 */
@Singleton
public class SignUpInvitationFlows implements SignUpInvitations {

    private final FlowStore flows;
    private final SecretCipher cipher;
    private final SignUpInvitingMethod method;
    private final IrisConfig config;
    private final Clock clock;

    public SignUpInvitationFlows(FlowStore flows, SecretCipher cipher, SignUpInvitingMethod method, IrisConfig config,
                                 Clock clock) {
        this.flows = flows;
        this.cipher = cipher;
        this.method = method;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Uni<MailPayload> invite(String email) {
        Instant now = clock.instant();
        Flow flow = Flow.create(FlowKind.REGISTRATION, FlowType.API, now, now.plus(config.flow().lifespan()),
                config.publicUrl() + "/self-service/registration/api", null, false);
        return method.invite(flow, email)
                .call(() -> flows.save(flow.sentEmail(method.id(), cipher.sealText(email), now, null)));
    }
}
