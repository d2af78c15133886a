package dev.iris.identity;

import com.ibm.icu.text.IDNA;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * The one canonical form of an address typed by a user, or nothing when it is not an RFC 5321 mailbox Iris can
 * mail. One mailbox gets one identity (and one send quota) whatever way it was typed:
 * <ul>
 *   <li>outer whitespace is trimmed and the whole address NFC-normalised;</li>
 *   <li>spaces, controls, format characters (U+200B, U+200D, U+202E, …), private-use and unassigned code points
 *       anywhere are refused — they hide one address behind another;</li>
 *   <li>the local part is a dot-atom (RFC 5321 {@code atext}, lower-cased as Iris always did); needless quoting
 *       ({@code "alice"}) is removed, a quoted string that needs its quotes ({@code "a b"}) is refused, as are
 *       the specials the mailer cannot address ({@code < > , ( ) ; : [ ] \ "}); non-ASCII only with SMTPUTF8
 *       ({@code iris.mail.smtputf8}); at most 64 octets;</li>
 *   <li>the domain is stored as A-labels ({@code bücher.example} → {@code xn--bcher-kva.example}): ICU4J's UTS #46
 *       non-transitional processing with the IDNA 2008 checks (STD3 rules, Bidi, CONTEXTJ, CONTEXTO), a dotted
 *       host name, no address literal, no all-numeric top-level label;</li>
 *   <li>at most 254 octets in all.</li>
 * </ul>
 * Normalising a canonical address returns it unchanged.
 */
public final class EmailAddress {

    public static final int MAX_LENGTH = 254;
    static final int MAX_LOCAL_OCTETS = 64;
    private static final String ATEXT_SYMBOLS = "!#$%&'*+-/=?^_`{|}~";
    private static final IDNA IDNA_2008 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII
            | IDNA.NONTRANSITIONAL_TO_UNICODE | IDNA.USE_STD3_RULES | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ
            | IDNA.CHECK_CONTEXTO);

    private EmailAddress() {
    }

    /** The canonical address with an ASCII local part, or empty when the input is not an acceptable address. */
    public static Optional<String> normalise(String raw) {
        return normalise(raw, false);
    }

    /**
     * The canonical address, or empty when the input is not an acceptable address; {@code smtpUtf8} allows
     * non-ASCII local parts (only when the SMTP relay supports SMTPUTF8).
     */
    public static Optional<String> normalise(String raw, boolean smtpUtf8) {
        if (raw == null || raw.length() > 4 * MAX_LENGTH) {
            return Optional.empty();
        }
        String value = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
        int at = value.lastIndexOf('@');
        if (at <= 0 || at == value.length() - 1 || hasHiddenOrSpaceCharacter(value)) {
            return Optional.empty();
        }
        Optional<String> local = localPart(value.substring(0, at), smtpUtf8);
        Optional<String> domain = local.isEmpty() ? Optional.empty() : domain(value.substring(at + 1));
        if (domain.isEmpty()) {
            return Optional.empty();
        }
        String address = local.get() + "@" + domain.get();
        return octets(address) <= MAX_LENGTH ? Optional.of(address) : Optional.empty();
    }

    private static boolean hasHiddenOrSpaceCharacter(String value) {
        return value.codePoints().anyMatch(cp -> switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR, Character.PRIVATE_USE, Character.SURROGATE,
                 Character.UNASSIGNED -> true;
            default -> false;
        });
    }

    private static Optional<String> localPart(String raw, boolean smtpUtf8) {
        String unquoted = raw;
        if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
            Optional<String> content = unquote(raw.substring(1, raw.length() - 1));
            if (content.isEmpty()) {
                return Optional.empty();
            }
            unquoted = content.get();
        }
        String local = unquoted.toLowerCase(Locale.ROOT);
        return isDotAtom(local, smtpUtf8) && octets(local) <= MAX_LOCAL_OCTETS ? Optional.of(local)
                : Optional.empty();
    }

    /** The content of a quoted string with its quoted pairs resolved; empty for a malformed one. */
    private static Optional<String> unquote(String quoted) {
        StringBuilder out = new StringBuilder(quoted.length());
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '"') {
                return Optional.empty();
            }
            if (c == '\\') {
                if (++i == quoted.length()) {
                    return Optional.empty();
                }
                c = quoted.charAt(i);
            }
            out.append(c);
        }
        return Optional.of(out.toString());
    }

    private static boolean isDotAtom(String local, boolean smtpUtf8) {
        if (local.isEmpty() || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return false;
        }
        return local.codePoints().allMatch(cp -> cp == '.' || isAtext(cp) || (smtpUtf8 && cp > 0x7f));
    }

    private static boolean isAtext(int cp) {
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
                || ATEXT_SYMBOLS.indexOf(cp) >= 0;
    }

    private static Optional<String> domain(String raw) {
        if (raw.startsWith("[") || raw.endsWith(".")) {
            return Optional.empty();
        }
        IDNA.Info info = new IDNA.Info();
        String ascii = IDNA_2008.nameToASCII(raw, new StringBuilder(raw.length() + 16), info).toString();
        if (info.hasErrors() || !isDottedHostName(ascii)) {
            return Optional.empty();
        }
        return Optional.of(ascii.toLowerCase(Locale.ROOT));
    }

    /** Two or more LDH labels of 1–63 characters, no hyphen at either end, a top-level label not all digits. */
    private static boolean isDottedHostName(String ascii) {
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2 || ascii.length() > 253) {
            return false;
        }
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
                    || !label.chars().allMatch(c -> c == '-' || Character.isLetterOrDigit(c) && c < 0x80)) {
                return false;
            }
        }
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }

    private static int octets(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }
}
