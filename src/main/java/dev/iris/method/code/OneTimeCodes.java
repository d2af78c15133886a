package dev.iris.method.code;

import dev.iris.config.IrisConfig;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowStore;
import dev.iris.selfservice.hook.PreHooks;
import dev.iris.selfservice.flow.Outcome;
import dev.iris.identity.Identity;
import dev.iris.identity.IdentityRepository;
import dev.iris.selfservice.ui.UiText;
import dev.iris.mail.MailPayload;
import dev.iris.mail.MailQueue;
import dev.iris.mail.MailTemplate;
import dev.iris.mail.MailQueued;
import dev.iris.ratelimit.AbuseGuard;
import dev.iris.session.ClientInfo;
import dev.iris.session.SessionIssuer;
import dev.iris.crypto.CodeHasher;
import dev.iris.crypto.RandomSecrets;
import dev.iris.crypto.SecretCipher;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The codes of the {@code code} method: one email carries a 6-digit code (typed on the device
 * that started) and a 256-bit link token (clicked on any device). Both are stored only as HMACs bound to the
 * flow and its kind.
 *
 * <p>Redemption follows Kratos's persister: the flow's attempt counter is raised and (for a 6-digit code) a slot
 * of the address's failed-code budget taken <em>before</em> any comparison, the hash is compared in constant
 * time, and the code is consumed by one guarded {@code UPDATE … WHERE used_at IS NULL AND expires_at > now}, so
 * exactly one of any number of concurrent submissions wins.
 */
@Singleton
public class OneTimeCodes {

    private static final Pattern SIX_DIGITS = Pattern.compile("\\d{6}");
    private static final Pattern LINK_TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final LoginCodeRepository codes;
    private final CodeStore store;
    private final IdentityRepository identities;
    private final FlowStore flows;
    private final MailQueue mail;
    private final Event<MailQueued> queued;
    private final SessionIssuer sessions;
    private final CodeHasher hasher;
    private final SecretCipher cipher;
    private final RandomSecrets secrets;
    private final CodeAudit audit;
    private final AbuseGuard guard;
    private final IrisConfig config;
    private final PreHooks hooks;
    private final Clock clock;

    public OneTimeCodes(LoginCodeRepository codes, CodeStore store, IdentityRepository identities, FlowStore flows,
                        MailQueue mail, Event<MailQueued> queued, SessionIssuer sessions, CodeHasher hasher,
                        SecretCipher cipher, RandomSecrets secrets, CodeAudit audit, AbuseGuard guard,
                        IrisConfig config, Clock clock, PreHooks hooks) {
        this.codes = codes;
        this.store = store;
        this.identities = identities;
        this.flows = flows;
        this.mail = mail;
        this.queued = queued;
        this.sessions = sessions;
        this.hasher = hasher;
        this.cipher = cipher;
        this.secrets = secrets;
        this.audit = audit;
        this.guard = guard;
        this.config = config;
        this.hooks = hooks;
        this.clock = clock;
    }

    /**
     * Issues a fresh code and link for {@code email} in {@code flow} (earlier ones die) and queues one email.
     * Known and unknown addresses do the same reads and writes; only the queued template differs, and the
     * worker decides after the answer what (if anything) to send. The flow service saves the flow as "sent" (with
     * the address) before the delivery runs, and puts it back when the delivery fails (see {@link Outcome.EmailSent}).
     */
    public Outcome.EmailSent send(Flow flow, String email, Instant resendAt) {
        Instant now = clock.instant();
        String rawCode = secrets.sixDigitCode();
        String linkToken = secrets.linkToken();
        Uni<Void> delivery = Uni.createFrom().deferred(() -> store.issue(email, newCode(flow, email, rawCode, linkToken,
                                now),
                        mail(flow, email, rawCode, linkToken)))
                .invoke(() -> audit.issued(flow, email))
                .invoke(() -> queued.fire(MailQueued.NOW))
                .replaceWithVoid();
        return new Outcome.EmailSent(cipher.sealText(email), resendAt, delivery);
    }

    /**
     * A send, if the budgets admit it: the flow's and the client's ({@code 4000001} when spent: the form again), then
     * the address's send quota (spent: the flow moves on as if sent, and nothing is issued).
     */
    public Uni<Outcome> admitSend(Flow flow, String email, ClientInfo client, String shownAddress) {
        return guard.admitSend(flow.id(), client.limitKey(), FlowStore.attemptsKey(flow.id()),
                        config.code().maxAttempts())
                .chain(resendAt -> resendAt.isEmpty()
                        ? Uni.createFrom().item(Outcome.Shown.message(UiText.tooManyAttempts(), shownAddress))
                        : guard.addressMaySend(email).map(allowed -> allowed ? send(flow, email, resendAt.get())
                                : sendNothing(flow, email, resendAt.get())));
    }

    /** The flow moves to "sent" without anything issued (the address's send quota is spent); open codes die. */
    public Outcome.EmailSent sendNothing(Flow flow, String email, Instant resendAt) {
        // Nothing new is issued, but what was sent before stops working, as after any resend.
        return new Outcome.EmailSent(cipher.sealText(email), resendAt,
                Uni.createFrom().deferred(() -> store.retire(flow.id(), clock.instant())));
    }

    /**
     * A sign-up invitation for an address that tried to log in without an account: a code and link for
     * {@code flow}, a new registration flow the caller saves, ready to be mailed.
     */
    public Uni<MailPayload> invite(Flow flow, String email) {
        Instant now = clock.instant();
        String rawCode = secrets.sixDigitCode();
        String linkToken = secrets.linkToken();
        return store.insert(newCode(flow, email, rawCode, linkToken, now))
                .map(inserted -> payload(flow, email, rawCode, linkToken));
    }

    /** True when {@code secret} has the shape of a 6-digit code (which needs the address too). */
    public static boolean isSixDigitCode(String secret) {
        return SIX_DIGITS.matcher(secret).matches();
    }

    /**
     * Redeems a 6-digit code or a link token. {@code addressOk} is the caller's verdict on the address sent
     * with it; a mismatch still costs an attempt. {@code withSession} says whether success signs in.
     * {@code budgetAddress} (the flow's address, for a 6-digit code; null for a link) pays one slot of its
     * failed-code budget after the flow's attempt is counted and before anything is compared; a spent budget makes
     * the code fail like a wrong one, a right code gives its slot back.
     */
    public Uni<Redemption> redeem(Flow flow, String secret, boolean addressOk, boolean withSession,
                                  ClientInfo client, String budgetAddress) {
        return redeem(flow, secret, addressOk, budgetAddress, flowAddress(flow),
                code -> consume(flow, code, withSession, client));
    }

    /**
     * Redeems a code sent to {@code newEmail}, the address a signed-in identity ({@code flow}'s, a settings flow)
     * asked to move to: on success the identity has the new address, verified, and the old one is told
     * ({@code notice}, sealed, queued in the same statement). A code sent to an address that has an account already
     * (nothing was mailed) never works.
     */
    public Uni<Redemption> redeemAddressChange(Flow flow, String secret, Identity identity, String newEmail) {
        // The old address is the identity's no more once this commits: its notice speaks the language chosen now.
        byte[] notice = mail.seal(new MailPayload(identity.email, null, null, 0,
                identity.locale != null ? identity.locale : flow.language()));
        return redeem(flow, secret, true, newEmail, newEmail, code -> {
            if (code.identityId() != null) {
                return invalid();
            }
            Instant now = clock.instant();
            return store.changeAddress(code.id(), now, identity.id, newEmail, new CodeStore.Notice(UUID.randomUUID(),
                            flow.id(), MailTemplate.ADDRESS_CHANGED.name(), notice))
                    .invoke(changed -> {
                        if (changed) {
                            Log.infof("audit identity.address_changed identity=%s flow=%s", identity.id, flow.id());
                            queued.fire(MailQueued.NOW);
                        }
                    })
                    .map(changed -> changed ? new Redemption.Success(identity, null) : new Redemption.Invalid());
        });
    }

    /**
     * {@code boundAddress}: the address the success acts on — only a code mailed to it matches (see
     * {@link #context}).
     */
    private Uni<Redemption> redeem(Flow flow, String secret, boolean addressOk, String budgetAddress,
                                   String boundAddress, Function<CodeStore.OpenCode, Uni<Redemption>> consume) {
        return flows.countAttempt(flow).chain(attempts -> {
            if (attempts > config.code().maxAttempts()) {
                return guard.chargeCodeFailure(budgetAddress)
                        .chain(() -> audit.outcome(flow, new Redemption.Exhausted(), budgetAddress));
            }
            return guard.takeCodeSlot(budgetAddress).chain(slot -> compare(flow, secret,
                            addressOk && slot.granted() && boundAddress != null, boundAddress, consume)
                    .call(result -> result.codeWasRight() ? guard.giveBack(slot)
                            : Uni.createFrom().voidItem()))
                    .chain(result -> audit.outcome(flow, result, budgetAddress));
        });
    }

    private Uni<Redemption> compare(Flow flow, String secret, boolean addressOk, String boundAddress,
                                    Function<CodeStore.OpenCode, Uni<Redemption>> consume) {
        if (!addressOk) {
            return invalid();
        }
        return store.findOpen(flow.id())
                .chain(code -> code != null && matches(flow, boundAddress, secret, code) ? consume.apply(code)
                        : invalid())
                .chain(this::afterSuccess);
    }

    /**
     * Spends a matching code. A sign-in (the code has an identity and success makes a session) is one statement,
     * {@link CodeStore#signIn}; a sign-up, which may create the identity, is a transaction.
     */
    private Uni<Redemption> consume(Flow flow, CodeStore.OpenCode code, boolean withSession, ClientInfo client) {
        Instant now = clock.instant();
        if (code.identityId() == null && flow.kind() != FlowKind.REGISTRATION) {
            // Sent to an address without an account (nothing was mailed): only a sign-up may create one.
            return invalid();
        }
        if (code.identityId() != null && withSession) {
            // The before-login hook speaks between the comparison and the spending: a denial leaves the code unspent.
            return hooks.beforeLogin(flow, code.identityId(), flowAddress(flow), sessionMethod(flow), client)
                    .chain(verdict -> verdict.allowed() ? signIn(flow, code, client, now)
                            : Uni.createFrom().item(new Redemption.Denied(verdict.messages(), verdict.addressMessage())));
        }
        return Panache.withTransaction(() -> codes.consume(code.id(), now).chain(updated -> updated != 1 ? invalid()
                : identityFor(flow, code, now)
                .chain(identity -> identity == null ? invalid() : signIn(identity, withSession, client, now))));
    }

    /** A sign-in: one statement spends the code and stores the session ({@link CodeStore#signIn}). */
    private Uni<Redemption> signIn(Flow flow, CodeStore.OpenCode code, ClientInfo client, Instant now) {
        SessionIssuer.Issued pending = sessions.prepare(code.identityId(), sessionMethod(flow), client);
        return store.signIn(code.id(), now, pending.session()).map(identity -> {
            if (identity == null) {
                return new Redemption.Invalid();
            }
            identity.markVerified(now);
            return new Redemption.Success(identity,
                    new SessionIssuer.Issued(pending.token(), pending.session(), identity));
        });
    }

    /** The code's identity, or for a sign-up the identity created now (at most one per address, ever). */
    private Uni<Identity> identityFor(Flow flow, CodeStore.OpenCode code, Instant now) {
        if (code.identityId() != null) {
            return identities.findById(code.identityId());
        }
        String email = cipher.openText(flow.sealedIdentifier());
        return identities.insertVerifiedIfAbsent(email, now)
                .invoke(inserted -> audit.identityCreated(inserted, email))
                .chain(inserted -> identities.findByEmail(email));
    }

    private Uni<Redemption> signIn(Identity identity, boolean withSession, ClientInfo client, Instant now) {
        identity.markVerified(now);
        if (!withSession) {
            return Uni.createFrom().item(new Redemption.Success(identity, null));
        }
        return sessions.issue(identity, "code", client).map(issued -> new Redemption.Success(identity, issued));
    }

    /** The session's authentication method: Kratos's {@code code_recovery} for a recovery, else {@code code}. */
    private static String sessionMethod(Flow flow) {
        return flow.kind() == FlowKind.RECOVERY ? "code_recovery" : "code";
    }

    /** Caches the new session (the answer reuses its JSON). */
    private Uni<Redemption> afterSuccess(Redemption result) {
        if (!(result instanceof Redemption.Success success) || success.session() == null) {
            return Uni.createFrom().item(result);
        }
        return sessions.cache(success.session().session(), success.identity())
                .map(entry -> new Redemption.Success(success.identity(), success.session(), entry.json()));
    }

    /** The email for either answer, sealed; the statement picks one by whether the address has an identity. */
    private CodeStore.QueuedMail mail(Flow flow, String email, String rawCode, String linkToken) {
        MailTemplate known = template(flow.kind(), true);
        MailTemplate unknown = template(flow.kind(), false);
        return new CodeStore.QueuedMail(UUID.randomUUID(), known.name(), sealed(flow, known, email, rawCode, linkToken),
                unknown.name(), sealed(flow, unknown, email, rawCode, linkToken));
    }

    /** Which email a code send queues, by flow and by whether the address has an identity. */
    private static MailTemplate template(FlowKind kind, boolean identityExists) {
        return switch (kind) {
            case LOGIN -> identityExists ? MailTemplate.LOGIN_CODE : MailTemplate.LOGIN_UNKNOWN;
            case REGISTRATION -> identityExists ? MailTemplate.REGISTRATION_EXISTING : MailTemplate.REGISTRATION_CODE;
            case RECOVERY -> identityExists ? MailTemplate.RECOVERY_CODE : MailTemplate.RECOVERY_UNKNOWN;
            case VERIFICATION -> identityExists ? MailTemplate.VERIFICATION_CODE : MailTemplate.VERIFICATION_UNKNOWN;
            // A new address for a signed-in identity; one that has an account gets nothing (rehearsed only).
            case SETTINGS -> identityExists ? MailTemplate.ADDRESS_TAKEN : MailTemplate.ADDRESS_CHANGE_CODE;
        };
    }

    private byte[] sealed(Flow flow, MailTemplate template, String email, String rawCode, String linkToken) {
        // An email that is never sent as such carries no secret (the same sealing work either way).
        MailPayload payload = template.rehearsedAs(false) != null
                ? new MailPayload(email, null, null, config.code().lifespan().toMinutes(), flow.language())
                : payload(flow, email, rawCode, linkToken);
        return mail.seal(payload);
    }

    private boolean matches(Flow flow, String address, String secret, CodeStore.OpenCode code) {
        if (isSixDigitCode(secret)) {
            return hasher.matches(context(flow, "code", address), secret, code.codeHash());
        }
        return LINK_TOKEN.matcher(secret).matches()
                && hasher.matches(context(flow, "link", address), secret, code.linkHash());
    }

    private CodeStore.NewCode newCode(Flow flow, String email, String rawCode, String linkToken, Instant now) {
        return new CodeStore.NewCode(UUID.randomUUID(), flow.id(), hasher.sign(context(flow, "code", email), rawCode),
                hasher.sign(context(flow, "link", email), linkToken), now, now.plus(config.code().lifespan()));
    }

    /** The address a code flow holds (the last one sent to), or null before the first send. */
    private String flowAddress(Flow flow) {
        return flow.sealedIdentifier() == null ? null : cipher.openText(flow.sealedIdentifier());
    }

    private MailPayload payload(Flow flow, String email, String rawCode, String linkToken) {
        if (flow.kind() == FlowKind.SETTINGS) {
            // Typed where the change was asked for: the settings form shows the code field.
            return new MailPayload(email, rawCode, null, config.code().lifespan().toMinutes(), flow.language());
        }
        String link = config.linkBaseUrl() + "/" + flow.kind().path() + "?flow=" + flow.id() + "&code=" + linkToken;
        return new MailPayload(email, rawCode, link, config.code().lifespan().toMinutes(), flow.language());
    }

    private static Uni<Redemption> invalid() {
        return Uni.createFrom().item(new Redemption.Invalid());
    }

    /**
     * Binds a hash to its flow, its kind, whether it is the code or the link, and the address it was mailed to: a
     * code proves that mailbox and no other. Without the address, a flow whose address changed while its code stayed
     * open (a send the address's quota stopped: nothing new was issued) accepted the code of the address before — a
     * code from one's own mailbox confirmed somebody else's (ProfileSettingsTest, RegistrationFlowTest).
     */
    static String context(Flow flow, String secretKind, String address) {
        return flow.kind().path() + "-" + secretKind + ":" + flow.id() + ":" + address;
    }
}
