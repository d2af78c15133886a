package dev.iris.support;

/** Masks addresses for logs and pages: {@code alice@example.com} becomes {@code a•••@example.com}. */
public final class Masking {

    private Masking() {
    }

    public static String maskEmail(String address) {
        if (address == null) {
            return "(none)";
        }
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return "•••";
        }
        return address.charAt(0) + "•••" + address.substring(at);
    }
}
