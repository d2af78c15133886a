package dev.iris.selfservice.flow;

/**
 * A login or registration submission reduced to what the methods need: {@code address} is the
 * {@code identifier} (login) or {@code traits.email} (registration), null when the client sent none;
 * {@code totpCode} and {@code lookupSecret} are the second-factor fields of an {@code aal=aal2} login.
 */
public record CodeSubmission(String method, String address, String code, String resend, String totpCode,
                             String lookupSecret) {

    public static final int MAX_FIELD = 512;

    public CodeSubmission(String method, String address, String code, String resend) {
        this(method, address, code, resend, null, null);
    }

    /** True when a field is far too long to be legitimate; answered 400 without further work. */
    public boolean oversized() {
        return tooLong(method) || tooLong(address) || tooLong(code) || tooLong(resend) || tooLong(totpCode)
                || tooLong(lookupSecret);
    }

    private static boolean tooLong(String value) {
        return value != null && value.length() > MAX_FIELD;
    }
}
