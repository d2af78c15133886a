package dev.iris.method.code;

import dev.iris.config.IrisConfig;
import dev.iris.flow.Flow;
import dev.iris.flow.FlowStore;
import dev.iris.identity.Identity;
import dev.iris.identity.IdentityRepository;
import dev.iris.mail.MailDispatcher;
import dev.iris.mail.MailPayload;
import dev.iris.mail.MailQueue;
import dev.iris.mail.MailTemplate;
import dev.iris.session.ClientInfo;
import dev.iris.session.SessionIssuer;
import dev.iris.support.CodeHasher;
import dev.iris.support.RandomSecrets;
import dev.iris.support.SecretCipher;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

import static dev.iris.support.Masking.maskEmail;

/**
 * The {@code code} method for login: one email carries a 6-digit code (typed on the device that started) and
 * a 256-bit link token (clicked on any device). Both are stored only as HMACs bound to the flow.
 *
 * <p>Redemption follows Kratos's persister: the attempt counter is raised <em>before</em> any comparison, the
 * hash is compared in constant time, and the code is consumed by one guarded {@code UPDATE … WHERE used_at IS
 * NULL AND expires_at > now}, so exactly one of any number of concurrent submissions wins.
 */
@ApplicationScoped
public class CodeLoginMethod {

    private static final Pattern SIX_DIGITS = Pattern.compile("\\d{6}");
    private static final Pattern LINK_TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final LoginCodeRepository codes;
    private final IdentityRepository identities;
    private final FlowStore flows;
    private final MailQueue mail;
    private final MailDispatcher dispatcher;
    private final SessionIssuer sessions;
    private final CodeHasher hasher;
    private final SecretCipher cipher;
    private final RandomSecrets secrets;
    private final IrisConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;

    public CodeLoginMethod(LoginCodeRepository codes, IdentityRepository identities, FlowStore flows, MailQueue mail,
                           MailDispatcher dispatcher, SessionIssuer sessions, CodeHasher hasher, SecretCipher cipher,
                           RandomSecrets secrets, IrisConfig config, Clock clock, MeterRegistry metrics) {
        this.codes = codes;
        this.identities = identities;
        this.flows = flows;
        this.mail = mail;
        this.dispatcher = dispatcher;
        this.sessions = sessions;
        this.hasher = hasher;
        this.cipher = cipher;
        this.secrets = secrets;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Issues a fresh code and link for {@code email} (earlier ones die) and queues the email. For an address
     * without identity it does the same reads and writes, but the queued message is {@code NONE}.
     */
    public Uni<Flow> send(Flow flow, String email) {
        Instant now = clock.instant();
        String rawCode = secrets.sixDigitCode();
        String linkToken = secrets.linkToken();
        return Panache.withTransaction(() -> identities.findByEmail(email)
                        .call(identity -> codes.invalidateOpen(flow.id(), now))
                        .call(identity -> codes.persist(newCode(flow.id(), identity, rawCode, linkToken, now)))
                        .call(identity -> mail.enqueue(flow.id(), identity == null ? MailTemplate.NONE
                                : MailTemplate.LOGIN_CODE, payload(flow.id(), email, rawCode, linkToken))))
                .invoke(identity -> audit(flow, email, identity))
                .chain(identity -> flows.save(flow.sentEmail("code", cipher.sealText(email), now)))
                .invoke(dispatcher::wake);
    }

    /** True when {@code secret} has the shape of a 6-digit code (which needs the identifier too). */
    public static boolean isSixDigitCode(String secret) {
        return SIX_DIGITS.matcher(secret).matches();
    }

    /**
     * Redeems a 6-digit code or a link token. {@code identifier} (normalised) must match the flow's address
     * for a 6-digit code; it may be null for a link token.
     */
    public Uni<Redemption> redeem(Flow flow, String secret, String identifier, ClientInfo client) {
        return flows.countAttempt(flow).chain(attempts -> {
            if (attempts > config.code().maxAttempts()) {
                return outcome(new Redemption.Exhausted(), flow);
            }
            if (!identifierMatches(flow, secret, identifier)) {
                return outcome(new Redemption.Invalid(), flow);
            }
            return Panache.withTransaction(() -> codes.findOpen(flow.id())
                            .chain(code -> code != null && matches(flow.id(), secret, code)
                                    ? consumeAndSignIn(code, client) : Uni.createFrom().item(invalid())))
                    .call(result -> result instanceof Redemption.Success success
                            ? sessions.cache(success.session().session(), success.session().identity())
                            .chain(() -> flows.save(flow.passed(clock.instant())))
                            : Uni.createFrom().voidItem())
                    .chain(result -> outcome(result, flow));
        });
    }

    private Uni<Redemption> consumeAndSignIn(LoginCode code, ClientInfo client) {
        Instant now = clock.instant();
        if (code.identityId == null) {
            return Uni.createFrom().item(invalid());
        }
        return codes.consume(code.id, now).chain(updated -> updated != 1
                ? Uni.createFrom().item(invalid())
                : identities.findById(code.identityId)
                .invoke(identity -> identity.markVerified(now))
                .chain(identity -> sessions.issue(identity, "code", client))
                .map(Redemption.Success::new));
    }

    private boolean identifierMatches(Flow flow, String secret, String identifier) {
        if (!isSixDigitCode(secret)) {
            return true;
        }
        return identifier != null && flow.sealedIdentifier() != null
                && identifier.equals(cipher.openText(flow.sealedIdentifier()));
    }

    private boolean matches(UUID flowId, String secret, LoginCode code) {
        if (isSixDigitCode(secret)) {
            return hasher.matches(codeContext(flowId), secret, code.codeHash);
        }
        return LINK_TOKEN.matcher(secret).matches() && hasher.matches(linkContext(flowId), secret, code.linkHash);
    }

    private LoginCode newCode(UUID flowId, Identity identity, String rawCode, String linkToken, Instant now) {
        LoginCode code = new LoginCode();
        code.id = UUID.randomUUID();
        code.flowId = flowId;
        code.identityId = identity == null ? null : identity.id;
        code.codeHash = hasher.sign(codeContext(flowId), rawCode);
        code.linkHash = hasher.sign(linkContext(flowId), linkToken);
        code.createdAt = now;
        code.expiresAt = now.plus(config.code().lifespan());
        return code;
    }

    private MailPayload payload(UUID flowId, String email, String rawCode, String linkToken) {
        String link = config.uiBaseUrl() + "/login?flow=" + flowId + "&code=" + linkToken;
        return new MailPayload(email, rawCode, link, config.code().lifespan().toMinutes());
    }

    private void audit(Flow flow, String email, Identity identity) {
        // One counter for both paths: a label telling known from unknown addresses would be an oracle.
        metrics.counter("iris.codes.issued").increment();
        Log.infof("audit login.code_issued flow=%s address=%s", flow.id(), maskEmail(email));
    }

    private Uni<Redemption> outcome(Redemption result, Flow flow) {
        String name = result instanceof Redemption.Success ? "success"
                : result instanceof Redemption.Exhausted ? "exhausted" : "invalid";
        metrics.counter("iris.redemptions", "outcome", name).increment();
        if (result instanceof Redemption.Success success) {
            Log.infof("audit login.succeeded flow=%s identity=%s", flow.id(), success.session().identity().id);
        } else {
            Log.infof("audit login.failed flow=%s reason=%s", flow.id(), name);
        }
        return Uni.createFrom().item(result);
    }

    private static Redemption invalid() {
        return new Redemption.Invalid();
    }

    static String codeContext(UUID flowId) {
        return "login-code:" + flowId;
    }

    static String linkContext(UUID flowId) {
        return "login-link:" + flowId;
    }
}
