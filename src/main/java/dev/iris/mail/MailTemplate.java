package dev.iris.mail;

/** The emails Iris sends; each has {@code templates/<name>.html} and {@code .txt}. */
public enum MailTemplate {
    /** Sign-in link + code for a known address. */
    LOGIN_CODE("mail/login-code", "loginCodeSubject"),
    /** A login for an address nobody registered: sent only with {@code iris.login.notify-unknown-address}. */
    LOGIN_UNKNOWN("mail/login-unknown", "loginUnknownSubject"),
    /** Sign-up link + code for a new address. */
    REGISTRATION_CODE("mail/registration-code", "registrationCodeSubject"),
    /** A sign-up for an address that already has an account: offers a sign-in instead. */
    REGISTRATION_EXISTING("mail/registration-existing", "registrationExistingSubject"),
    /**
     * Wrong second-factor codes locked TOTP for a while ({@code expiresInMinutes}: how long; 0: until a backup
     * code or an admin reset). Carries no code and no link.
     */
    SECOND_FACTOR_FAILING("mail/second-factor-failing", "secondFactorFailingSubject"),
    /** Account recovery link + code for a known address. */
    RECOVERY_CODE("mail/recovery-code", "recoveryCodeSubject"),
    /** A recovery for an address nobody registered: never sent (the worker only rehearses it). */
    RECOVERY_UNKNOWN("mail/recovery-code", "recoveryCodeSubject"),
    /** Address verification link + code for a known address. */
    VERIFICATION_CODE("mail/verification-code", "verificationCodeSubject"),
    /** A verification for an address nobody registered: never sent (the worker only rehearses it). */
    VERIFICATION_UNKNOWN("mail/verification-code", "verificationCodeSubject"),
    /** A code to the address a signed-in user wants to move to (typed in settings; no link). */
    ADDRESS_CHANGE_CODE("mail/address-change-code", "addressChangeCodeSubject"),
    /** The address asked for has an account already: never sent (rehearsed only; the code never works). */
    ADDRESS_TAKEN("mail/address-change-code", "addressChangeCodeSubject"),
    /** To the old address once the change is confirmed. Carries no code, link or new address. */
    ADDRESS_CHANGED("mail/address-changed", "addressChangedSubject");

    private final String location;
    private final String subject;

    MailTemplate(String location, String subject) {
        this.location = location;
        this.subject = subject;
    }

    public String location() {
        return location;
    }

    /** The key of its subject in {@link MailMessages}. */
    public String subject() {
        return subject;
    }

    /**
     * The email a worker renders and drops instead of this one, or null when this one is sent: the unknown-address
     * answers of recovery and verification are never sent, and the login one only with
     * {@code iris.login.notify-unknown-address} — the worker spends the same work either way (no enumeration).
     */
    public MailTemplate rehearsedAs(boolean notifyUnknownLogin) {
        return switch (this) {
            case LOGIN_UNKNOWN -> notifyUnknownLogin ? null : LOGIN_CODE;
            case RECOVERY_UNKNOWN -> RECOVERY_CODE;
            case VERIFICATION_UNKNOWN -> VERIFICATION_CODE;
            case ADDRESS_TAKEN -> ADDRESS_CHANGE_CODE;
            default -> null;
        };
    }
}
