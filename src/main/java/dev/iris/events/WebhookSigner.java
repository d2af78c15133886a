package dev.iris.events;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Signs a webhook the Standard Webhooks way (standardwebhooks.com): {@code webhook-signature: v1,<base64 of
 * HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>}, one signature per secret, space-separated, so a
 * receiver rotating its secret accepts either. Secrets are {@code whsec_<base64 key>}; a key shorter than 24 or
 * longer than 64 bytes, or a value that is not of that form, is refused when Iris starts.
 */
public final class WebhookSigner {

    private static final String PREFIX = "whsec_";

    private final List<byte[]> keys;

    public WebhookSigner(List<String> secrets) {
        if (secrets.isEmpty() || secrets.size() > 2) {
            throw new IllegalArgumentException("one secret, or two while rotating");
        }
        this.keys = secrets.stream().map(WebhookSigner::key).toList();
    }

    static byte[] key(String secret) {
        String value = secret.strip();
        if (!value.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret is " + PREFIX + " followed by base64");
        }
        if (key.length < 24 || key.length > 64) {
            throw new IllegalArgumentException("a webhook secret holds 24 to 64 bytes of key, not " + key.length);
        }
        return key;
    }

    /** The {@code webhook-signature} header value for this message. */
    public String signature(String id, long timestampSeconds, String body) {
        byte[] content = (id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
        return keys.stream().map(key -> "v1," + Base64.getEncoder().encodeToString(hmac(key, content)))
                .collect(Collectors.joining(" "));
    }

    private static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
