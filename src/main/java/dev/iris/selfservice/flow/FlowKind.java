package dev.iris.selfservice.flow;

import dev.iris.selfservice.ui.UiText;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** Which self-service flow this is; decides paths, the address field and message ids. */
public enum FlowKind {
    LOGIN("login", "identifier", 4010002, "log you in", 4010001),
    REGISTRATION("registration", "traits.email", 4010003, "sign you up", 4040001),
    /** Settings (second factor); it has no address field. */
    SETTINGS("settings", null, 4010004, "update your settings", 4050001),
    /** Account recovery: a code to the address signs in and opens settings (Kratos's recovery flow). */
    RECOVERY("recovery", "email", 4010005, "recover your account", 4060005),
    /** Address verification: a code to the address marks it verified; nobody is signed in. */
    VERIFICATION("verification", "email", 4010006, "verify your account", 4070005);

    private final String path;
    private final String addressField;
    private final long noStrategyMessage;
    private final String noStrategyPurpose;
    private final long expiredMessage;

    FlowKind(String path, String addressField, long noStrategyMessage, String noStrategyPurpose,
             long expiredMessage) {
        this.path = path;
        this.addressField = addressField;
        this.noStrategyMessage = noStrategyMessage;
        this.noStrategyPurpose = noStrategyPurpose;
        this.expiredMessage = expiredMessage;
    }

    /** Path segment: {@code /self-service/<path>} and the UI page {@code /<path>}. */
    public String path() {
        return path;
    }

    /** True for the flows that prove an address by an emailed code or link: all but settings. */
    public boolean provesAddress() {
        return this != SETTINGS;
    }

    /** The form field holding the email address. */
    public String addressField() {
        return addressField;
    }

    /** No method of this flow matches the submission (Kratos's 4010002–4010006 "could not find a strategy"). */
    public UiText noStrategy() {
        String with = this == SETTINGS ? "" : " with";
        return new UiText(noStrategyMessage, "error", "Could not find a strategy to " + noStrategyPurpose + with
                + ". Did you fill out the form correctly?", null);
    }

    /** On the flow that replaces an expired one (Kratos's 4010001 / 4040001 / 4050001 / 4060005 / 4070005). */
    public UiText expired(Instant expiredAt, Instant now) {
        double minutes = Duration.between(expiredAt, now).toMillis() / 60_000.0;
        return new UiText(expiredMessage, "error", String.format(Locale.ROOT,
                "The %s flow expired %.2f minutes ago, please try again.", path, minutes),
                Map.of("expired_at", expiredAt.toString()));
    }
}
