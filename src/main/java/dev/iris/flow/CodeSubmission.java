package dev.iris.flow;

/**
 * A login or registration submission reduced to what the code method needs: {@code address} is the
 * {@code identifier} (login) or {@code traits.email} (registration), null when the client sent none.
 */
public record CodeSubmission(String method, String address, String code, String resend) {

    static final int MAX_FIELD = 512;

    /** True when a field is far too long to be legitimate; answered 400 without further work. */
    boolean oversized() {
        return tooLong(method) || tooLong(address) || tooLong(code) || tooLong(resend);
    }

    private static boolean tooLong(String value) {
        return value != null && value.length() > MAX_FIELD;
    }
}
