package dev.iris.app;

import dev.iris.config.IrisConfig;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Refuses to start a production run whose secrets are missing (caught earlier by the config mapping, which
 * names the key), left at the development values or the Secret example's placeholders, or too short. Each
 * problem names its key.
 */
@Singleton
public class ProdSecretsCheck {

    /** Every development/test default contains this marker, so it can never reach production unnoticed. */
    public static final String DEV_MARKER = "insecure";
    /** What the committed Secret example (k8s/base/secret.example.yaml) holds in place of every value. */
    static final String PLACEHOLDER_MARKER = "placeholder";
    static final int MIN_LENGTH = 32;

    void onStart(@Observes StartupEvent event, IrisConfig config) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Iris refuses to start: " + String.join("; ", problems));
        }
    }

    /** Lists every unacceptable secret, by key, without echoing any value. */
    public static List<String> problems(IrisConfig config) {
        return problems(config.secrets().hmac(), config.secrets().cookie(), config.secrets().cipher(),
                config.admin().apiKeys());
    }

    static List<String> problems(List<String> hmac, List<String> cookie, List<String> cipher, List<String> apiKeys) {
        List<String> problems = new ArrayList<>();
        checkText("iris.secrets.hmac", hmac, problems);
        checkText("iris.secrets.cookie", cookie, problems);
        checkText("iris.admin.api-keys", apiKeys, problems);
        for (String key : cipher) {
            if (!isAes256Key(key) || decodedText(key).contains(DEV_MARKER)) {
                problems.add("iris.secrets.cipher must hold base64-encoded 32-byte keys that are not development defaults");
                break;
            }
        }
        return problems;
    }

    private static void checkText(String name, List<String> values, List<String> problems) {
        for (String value : values) {
            if (value.toLowerCase().contains(DEV_MARKER)) {
                problems.add(name + " still holds a development default");
                return;
            }
            if (value.toLowerCase().contains(PLACEHOLDER_MARKER)) {
                problems.add(name + " still holds the example's placeholder");
                return;
            }
            if (value.length() < MIN_LENGTH) {
                problems.add(name + " holds a key shorter than " + MIN_LENGTH + " characters");
                return;
            }
        }
    }

    private static String decodedText(String base64) {
        return new String(Base64.getDecoder().decode(base64.trim()), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static boolean isAes256Key(String base64) {
        try {
            return Base64.getDecoder().decode(base64.trim()).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
