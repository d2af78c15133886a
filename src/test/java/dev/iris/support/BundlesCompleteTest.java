package dev.iris.support;

import dev.iris.mail.MailMessages;
import dev.iris.selfservice.ui.UiMessages;
import dev.iris.web.PageMessages;
import io.quarkus.qute.i18n.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every language file of every message bundle (emails, pages, ui texts) translates every message and nothing else,
 * none blank, each keeping exactly its message's parameters and no unknown one: a missing key would fall back to
 * English at run time, a lost or misspelt parameter would render wrong or fail — here they fail the build instead.
 */
class BundlesCompleteTest {

    static Stream<Arguments> bundles() {
        return Stream.of(Arguments.of("mail", MailMessages.class), Arguments.of("page", PageMessages.class),
                Arguments.of("ui", UiMessages.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bundles")
    void everyLanguageFileHasEveryKeyAndOnlyThose(String bundle, Class<?> messages) throws Exception {
        Set<String> keys = Arrays.stream(messages.getDeclaredMethods())
                .filter(method -> method.isAnnotationPresent(Message.class)).map(Method::getName)
                .collect(Collectors.toSet());
        assertThat(keys).hasSizeGreaterThan(20);
        for (String language : translations()) {
            Properties translated = load("messages/" + bundle + "_" + language + ".properties");
            assertThat(translated.stringPropertyNames()).as(bundle + "_" + language)
                    .containsExactlyInAnyOrderElementsOf(keys);
            assertThat(translated.values()).as(bundle + "_" + language + ": no blank message")
                    .allSatisfy(text -> assertThat(text.toString()).isNotBlank());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bundles")
    void everyTranslationUsesExactlyItsMessagesParameters(String bundle, Class<?> messages) throws Exception {
        for (String language : translations()) {
            Properties translated = load("messages/" + bundle + "_" + language + ".properties");
            for (Method method : messages.getDeclaredMethods()) {
                Set<String> parameters = Arrays.stream(method.getParameters()).map(Parameter::getName)
                        .collect(Collectors.toSet());
                String english = method.getAnnotation(Message.class).value();
                String text = translated.getProperty(method.getName());
                String what = bundle + "_" + language + " " + method.getName();
                assertThat(used(english)).as("English " + method.getName()).isEqualTo(parameters);
                assertThat(used(text)).as(what).isEqualTo(parameters);
            }
        }
    }

    /**
     * Where a native image keeps no parameter names, {@code MessageTexts} takes them in the order they first appear in
     * the English message: that order must be the declared one.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("bundles")
    void parametersAppearInTheEnglishInTheirDeclaredOrder(String bundle, Class<?> messages) {
        for (Method method : messages.getDeclaredMethods()) {
            List<String> declared = Arrays.stream(method.getParameters()).map(Parameter::getName).toList();
            assertThat(MessageTexts.appearing(method.getAnnotation(Message.class).value())).as(method.getName())
                    .isEqualTo(declared);
        }
    }

    /** The names a message's expressions start with ({@code {minutes}}, {@code {#if minutes == 1}}). */
    private static Set<String> used(String message) {
        return Set.copyOf(MessageTexts.appearing(message));
    }

    private static Set<String> translations() {
        return Languages.SUPPORTED.stream().filter(language -> !language.equals(Languages.DEFAULT))
                .collect(Collectors.toSet());
    }

    private static Properties load(String resource) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = BundlesCompleteTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
