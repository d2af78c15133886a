package dev.iris.method.profile;

import dev.iris.config.IrisConfig;
import dev.iris.crypto.SecretCipher;
import dev.iris.identity.EmailAddress;
import dev.iris.identity.Identity;
import dev.iris.identity.IdentityRepository;
import dev.iris.method.code.OneTimeCodes;
import dev.iris.method.code.Redemption;
import dev.iris.ratelimit.AbuseGuard;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.Outcome;
import dev.iris.selfservice.flow.SettingsMethod;
import dev.iris.selfservice.flow.Submission;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import dev.iris.support.Languages;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code profile} method of settings (Kratos's profile strategy): the email trait. Iris's rule, stricter than
 * Kratos's: a new address takes effect only once a code sent to it is entered, so a typo can never lock a
 * passwordless user out — until then the old address keeps signing in. Saving a new {@code traits.email} sends the
 * code (the code method's budgets: the flow's, the client's, the address's quota) and keeps the new address sealed
 * in the flow; saving it again with {@code code} confirms: the identity moves to the address (verified), the old
 * address gets a notice, in one statement. An address that has an account already is never told so: its code is
 * never mailed and never works, exactly like a wrong one (no enumeration).
 */
@Singleton
public class ProfileMethod implements SettingsMethod {

    public static final String ID = "profile";
    private static final int POSITION = 0;
    private static final String FIELD = "traits.email";
    private static final String LOCALE = "traits.locale";

    private final OneTimeCodes codes;
    private final AbuseGuard guard;
    private final SecretCipher cipher;
    private final IrisConfig config;
    private final IdentityRepository identities;
    private final Clock clock;

    public ProfileMethod(OneTimeCodes codes, AbuseGuard guard, SecretCipher cipher, IrisConfig config,
                         IdentityRepository identities, Clock clock) {
        this.identities = identities;
        this.clock = clock;
        this.codes = codes;
        this.guard = guard;
        this.cipher = cipher;
        this.config = config;
    }

    @Override
    public String id() {
        return ID;
    }

    /** First among the settings groups, as Kratos UIs show the profile. */
    @Override
    public int position() {
        return POSITION;
    }

    @Override
    public Uni<String> offer(Identity identity) {
        return Uni.createFrom().nullItem();
    }

    /** The address (the new one while a change waits for its code), the code field then, and "Save". */
    @Override
    public Uni<List<UiNode>> nodes(Flow flow, Identity identity) {
        String pending = pendingAddress(flow);
        List<UiNode> nodes = new ArrayList<>();
        nodes.add(UiNode.input(ID, FIELD, "email", pending != null ? pending : identity.email,
                new UiText(1070002, "info", "E-Mail", Map.of("title", "E-Mail", "name", FIELD)))
                .required().autocomplete("email"));
        if (pending != null) {
            nodes.add(UiNode.input(ID, "code", "text", null, UiText.label(1070011, "Verification code"))
                    .required().autocomplete("one-time-code").attribute("inputmode", "numeric")
                    .message(new UiText(1080003, "info", "An email containing a verification code has been sent to "
                            + "the email address you provided. Enter it to confirm the change; until then you "
                            + "sign in with your current address.", Map.of("address", pending))));
        }
        // The preferred language (the locale trait): emails and pages in it; empty — as the browser asks.
        nodes.add(UiNode.input(ID, LOCALE, "text", identity.locale == null ? "" : identity.locale,
                new UiText(1070002, "info", "Language", Map.of("title", "Language", "name", LOCALE)))
                .attribute("pattern", String.join("|", Languages.SUPPORTED)).autocomplete("language"));
        nodes.add(UiNode.input(ID, "method", "submit", ID, UiText.label(1070003, "Save")));
        return Uni.createFrom().item(nodes);
    }

    /**
     * The locale trait first (sent: set, or cleared when empty; not sent: unchanged), then the address as below — a
     * Kratos UI posts every trait of the group at once.
     */
    @Override
    public Uni<Change> submit(Flow flow, Submission submission, Identity identity, SubmitContext context) {
        String locale = submission.field(LOCALE);
        if (locale != null && submission.field(FIELD) == null) {
            // The language alone (the built-in settings page's own form): an address change waiting for its code
            // keeps waiting.
            return saveLocale(identity, locale).map(change -> change instanceof Change.Saved
                    ? new Change.Saved(null, flow.pending(ID)) : change);
        }
        if (locale == null || Objects.equals(locale.isBlank() ? null : locale.strip(), identity.locale)) {
            return submitAddress(flow, submission, identity, context);
        }
        return saveLocale(identity, locale).chain(change -> change instanceof Change.Refused
                ? Uni.createFrom().item(change) : submitAddress(flow, submission, identity, context));
    }

    /** Sets the locale trait ({@code ""}: cleared); refused when it names no language of ours. */
    private Uni<Change> saveLocale(Identity identity, String locale) {
        String chosen = locale.isBlank() ? null : locale.strip();
        if (chosen != null && !Languages.SUPPORTED.contains(chosen)) {
            return refused(null, LOCALE, UiText.generic("The language must be one of "
                    + String.join(", ", Languages.SUPPORTED) + ", or empty for the browser's."));
        }
        if (Objects.equals(chosen, identity.locale)) {
            return Uni.createFrom().item(new Change.Saved(null, null));
        }
        return Panache.withTransaction(() -> identities.setLocale(identity.id, chosen, clock.instant()))
                .invoke(() -> identity.locale = chosen)
                .replaceWith(new Change.Saved(null, null));
    }

    private Uni<Change> submitAddress(Flow flow, Submission submission, Identity identity, SubmitContext context) {
        String raw = submission.present(FIELD);
        if (raw == null) {
            return refused(null, FIELD, UiText.missing(FIELD));
        }
        Optional<String> email = EmailAddress.normalise(raw, config.mail().smtputf8());
        if (email.isEmpty()) {
            return refused(null, FIELD, UiText.invalidEmail(raw.length() > 64 ? raw.substring(0, 64) : raw));
        }
        String pending = pendingAddress(flow);
        String code = submission.present("code");
        if (code != null && email.get().equals(pending)) {
            return confirm(flow, code.strip(), identity, pending, context);
        }
        if (email.get().equals(identity.email)) {
            // Nothing to change (a change waiting for its code is dropped).
            return Uni.createFrom().item(new Change.Saved(null, null));
        }
        // The code goes to the new address, which has no identity yet: it speaks the identity's language, if chosen.
        Flow speaking = identity.locale != null ? flow.speaking(identity.locale) : flow;
        return codes.admitSend(speaking, email.get(), context.client(), null).chain(outcome -> {
            if (outcome instanceof Outcome.EmailSent sent) {
                return sent.delivery().replaceWith(new Change.Showing(sent.sealedAddress()));
            }
            return refused(((Outcome.Shown) outcome).messages().get(0), null, null);
        });
    }

    /** Every try counts against the client's failure budget, as a code redemption does. */
    private Uni<Change> confirm(Flow flow, String code, Identity identity, String newEmail, SubmitContext context) {
        String ip = context.client().limitKey();
        return guard.admitRedeem(ip)
                .chain(() -> codes.redeemAddressChange(flow, code, identity, newEmail))
                .call(result -> result instanceof Redemption.Success ? Uni.createFrom().voidItem()
                        : guard.recordFailure(ip))
                .map(result -> {
                    if (result instanceof Redemption.Success) {
                        return new Change.Saved(null, null);
                    }
                    return result instanceof Redemption.Exhausted
                            ? new Change.Refused(UiText.tooManyAttempts(), null, null)
                            : new Change.Refused(null, "code", new UiText(4070006, "error",
                            "The verification code is invalid or has already been used. Please try again.", null));
                });
    }

    private String pendingAddress(Flow flow) {
        String sealed = flow.pending(ID);
        return sealed == null ? null : cipher.openText(sealed);
    }

    private static Uni<Change> refused(UiText message, String field, UiText fieldMessage) {
        return Uni.createFrom().item(new Change.Refused(message, field, fieldMessage));
    }
}
