package dev.iris.mail;

/** The emails Iris sends; each has {@code templates/<name>.html} and {@code .txt}. */
public enum MailTemplate {
    /** Sign-in link + code for a known address. */
    LOGIN_CODE("mail/login-code", "Your sign-in link"),
    /** A login for an address nobody registered: sent only with {@code iris.login.notify-unknown-address}. */
    LOGIN_UNKNOWN("mail/login-unknown", "No account for this address"),
    /** Sign-up link + code for a new address. */
    REGISTRATION_CODE("mail/registration-code", "Your sign-up link"),
    /** A sign-up for an address that already has an account: offers a sign-in instead. */
    REGISTRATION_EXISTING("mail/registration-existing", "You already have an account"),
    /**
     * Wrong second-factor codes locked TOTP for a while ({@code expiresInMinutes}: how long; 0: until a backup
     * code or an admin reset). Carries no code and no link.
     */
    SECOND_FACTOR_FAILING("mail/second-factor-failing", "Failed second-factor sign-in attempts");

    private final String location;
    private final String subject;

    MailTemplate(String location, String subject) {
        this.location = location;
        this.subject = subject;
    }

    public String location() {
        return location;
    }

    public String subject() {
        return subject;
    }

    /** Which email a code send queues: for a sign-in ({@code signIn}) or a sign-up, to a known address or not. */
    public static MailTemplate forCode(boolean signIn, boolean identityExists) {
        if (signIn) {
            return identityExists ? LOGIN_CODE : LOGIN_UNKNOWN;
        }
        return identityExists ? REGISTRATION_EXISTING : REGISTRATION_CODE;
    }
}
