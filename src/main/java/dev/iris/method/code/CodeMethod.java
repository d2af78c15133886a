package dev.iris.method.code;

import dev.iris.config.IrisConfig;
import dev.iris.crypto.SecretCipher;
import dev.iris.identity.EmailAddress;
import dev.iris.mail.MailPayload;
import dev.iris.ratelimit.AbuseGuard;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowState;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.Outcome;
import dev.iris.selfservice.flow.SignUpInvitingMethod;
import dev.iris.selfservice.flow.Submission;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.selfservice.hook.PreHooks;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import dev.iris.session.ClientInfo;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/**
 * The {@code code} method of login, registration, recovery and verification flows: send a code and link to the
 * address typed ({@code identifier} / {@code traits.email} / {@code email}), resend it ({@code resend: "code"}; in
 * recovery and verification the {@code email} button), or redeem either one ({@code code}; a 6-digit code together
 * with the flow's address — recovery and verification take the flow's own —, a link token alone). Admission (the flow's and
 * the client's budgets) is decided here; issuing and redeeming are {@link OneTimeCodes}'.
 */
@Singleton
public class CodeMethod implements SignUpInvitingMethod {

    public static final String ID = "code";

    private final OneTimeCodes codes;
    private final AbuseGuard guard;
    private final SecretCipher cipher;
    private final IrisConfig config;
    private final PreHooks hooks;

    public CodeMethod(OneTimeCodes codes, AbuseGuard guard, SecretCipher cipher, IrisConfig config, PreHooks hooks) {
        this.codes = codes;
        this.guard = guard;
        this.cipher = cipher;
        this.config = config;
        this.hooks = hooks;
    }

    @Override
    public String id() {
        return ID;
    }

    /** Every flow that proves an address: login, registration, recovery and verification. */
    @Override
    public boolean supports(FlowKind kind) {
        return kind.provesAddress();
    }

    @Override
    public List<UiNode> nodes(Flow flow, String address) {
        return CodeNodes.of(flow, address, flow.continueTo(config.defaultReturnUrl()),
                config.webauthn().enabled());
    }

    /** "Code sent" once sent (with when a resend is allowed); "verified" once a verification passed. */
    @Override
    public List<UiText> messages(Flow flow) {
        if (flow.state() == FlowState.PASSED_CHALLENGE && flow.kind() == FlowKind.VERIFICATION) {
            return List.of(CodeTexts.verified());
        }
        return flow.state() == FlowState.SENT_EMAIL ? List.of(CodeTexts.sent(flow.kind(), flow.resendAt()))
                : List.of();
    }

    /** A link token (not a 6-digit code) submitted for redemption: it may be opened on any device. */
    @Override
    public boolean crossDevice(Submission submission) {
        if (submission.present("email") != null) {
            // Recovery and verification: an address sent with anything is a send, never a redemption.
            return false;
        }
        String code = submission.present("code");
        return !ID.equals(submission.field("resend")) && code != null && !OneTimeCodes.isSixDigitCode(code.strip());
    }

    @Override
    public Uni<Outcome> submit(Flow flow, Submission submission, SubmitContext context) {
        String address = submission.present(flow.kind().addressField());
        if (recoversOrVerifies(flow) && address != null) {
            // Kratos's recovery and verification forms resend with a submit button named "email" carrying the
            // address; an address sent with a code means a send, as there.
            return send(flow, address, context.client());
        }
        if (ID.equals(submission.field("resend"))) {
            return send(flow, address == null ? address(flow) : address, context.client());
        }
        if (submission.present("code") != null) {
            return redeem(flow, submission.field("code").strip(), address, context);
        }
        return send(flow, submission.field(flow.kind().addressField()), context.client());
    }

    @Override
    public Uni<MailPayload> invite(Flow flow, String email) {
        return codes.invite(flow, email);
    }

    private Uni<Outcome> send(Flow flow, String rawAddress, ClientInfo client) {
        String field = flow.kind().addressField();
        if (rawAddress == null || rawAddress.isBlank()) {
            return shown(Outcome.Shown.onField(field, UiText.missing(field), null));
        }
        Optional<String> email = EmailAddress.normalise(rawAddress, config.mail().smtputf8());
        if (email.isEmpty()) {
            String echoed = rawAddress.length() > 64 ? rawAddress.substring(0, 64) : rawAddress;
            return shown(Outcome.Shown.onField(field, UiText.invalidEmail(echoed), null));
        }
        if (flow.kind() != FlowKind.REGISTRATION) {
            return codes.admitSend(flow, email.get(), client, address(flow));
        }
        // The before-registration hook decides before anything is created or mailed.
        return hooks.beforeRegistration(flow, email.get(), ID, client).chain(verdict -> verdict.allowed()
                ? codes.admitSend(flow, email.get(), client, address(flow))
                : shown(new Outcome.Shown(verdict.messages(), field, verdict.addressMessage(), email.get())));
    }

    /**
     * A 6-digit code works only in its own flow with the flow's address and, for a browser flow, only in the
     * browser that started it; a link token works anywhere. Every try counts against the client's failure budget.
     */
    private Uni<Outcome> redeem(Flow flow, String secret, String rawAddress, SubmitContext context) {
        String field = flow.kind().addressField();
        String flowAddress = address(flow);
        String given = rawAddress == null ? null : EmailAddress.normalise(rawAddress, config.mail().smtputf8())
                .orElse("");
        boolean sixDigits = OneTimeCodes.isSixDigitCode(secret);
        if (sixDigits && given == null && recoversOrVerifies(flow)) {
            // Their forms do not send the address with the code: the flow's own address is the one.
            given = flowAddress;
        }
        if (sixDigits && given == null) {
            return shown(Outcome.Shown.onField(field, UiText.missing(field), flowAddress));
        }
        if (flow.kind() == FlowKind.REGISTRATION && given != null && !given.equals(flowAddress)) {
            return shown(Outcome.Shown.message(UiText.traitsMismatch(), flowAddress));
        }
        boolean addressOk = !sixDigits || (flowAddress != null && flowAddress.equals(given)
                && (flow.type() == FlowType.API || context.sameBrowser()));
        boolean withSession = flow.kind() == FlowKind.LOGIN || flow.kind() == FlowKind.RECOVERY
                || (flow.kind() == FlowKind.REGISTRATION && config.registration().sessionHook());
        String ip = context.client().limitKey();
        return guard.admitRedeem(ip)
                .chain(() -> codes.redeem(flow, secret, addressOk, withSession, context.client(),
                        sixDigits ? flowAddress : null))
                .call(result -> result.codeWasRight() ? Uni.createFrom().voidItem() : guard.recordFailure(ip))
                .map(result -> {
                    if (result instanceof Redemption.Success success) {
                        return new Outcome.Passed(success.identity(), success.session(), success.sessionJson());
                    }
                    if (result instanceof Redemption.Denied denied) {
                        return new Outcome.Shown(denied.messages(), flow.kind().addressField(),
                                denied.addressMessage(), flowAddress);
                    }
                    UiText message = result instanceof Redemption.Exhausted ? UiText.tooManyAttempts()
                            : CodeTexts.invalid(flow.kind());
                    return Outcome.Shown.message(message, flowAddress);
                });
    }

    private static boolean recoversOrVerifies(Flow flow) {
        return flow.kind() == FlowKind.RECOVERY || flow.kind() == FlowKind.VERIFICATION;
    }

    private String address(Flow flow) {
        return flow.sealedIdentifier() == null ? null : cipher.openText(flow.sealedIdentifier());
    }

    private static Uni<Outcome> shown(Outcome.Shown shown) {
        return Uni.createFrom().item(shown);
    }
}
