package dev.iris.mail;

import dev.iris.support.Languages;
import io.quarkus.qute.i18n.Message;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every language file translates every email message and nothing else, none blank: a missing key would silently fall
 * back to English at run time, so it fails here instead.
 */
class MailMessagesTest {

    @Test
    void everyLanguageFileHasEveryKeyAndOnlyThose() throws Exception {
        Set<String> keys = Arrays.stream(MailMessages.class.getDeclaredMethods())
                .filter(method -> method.isAnnotationPresent(Message.class)).map(Method::getName)
                .collect(Collectors.toSet());
        assertThat(keys).hasSizeGreaterThan(30);
        for (String language : Languages.SUPPORTED) {
            if (language.equals(Languages.DEFAULT)) {
                continue;
            }
            Properties translated = load("messages/mail_" + language + ".properties");
            assertThat(translated.stringPropertyNames()).as(language).containsExactlyInAnyOrderElementsOf(keys);
            assertThat(translated.values()).as(language + ": no blank message")
                    .allSatisfy(text -> assertThat(text.toString()).isNotBlank());
        }
    }

    @Test
    void parametersAreKeptInEveryTranslation() throws Exception {
        for (String language : Languages.SUPPORTED) {
            if (language.equals(Languages.DEFAULT)) {
                continue;
            }
            Properties translated = load("messages/mail_" + language + ".properties");
            for (Method method : MailMessages.class.getDeclaredMethods()) {
                String english = method.getAnnotation(Message.class).value();
                for (String parameter : new String[]{"{appName}", "{minutes}"}) {
                    if (english.contains(parameter)) {
                        assertThat(translated.getProperty(method.getName())).as(language + " " + method.getName())
                                .contains(parameter);
                    }
                }
            }
        }
    }

    private static Properties load(String resource) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = MailMessagesTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
