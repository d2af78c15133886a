package dev.iris.support;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.i18n.Message;
import jakarta.inject.Singleton;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message of a Qute message bundle looked up by key from Java code, rendered through the engine exactly as a
 * template's {@code {page:key(...)}} is — so a deployment's overrides (README, Languages) apply here too, which a
 * bundle's Java proxy would bypass. Used where the key is chosen at run time (a flow's kind, a ui message's id).
 */
@Singleton
public class MessageTexts {

    /** {@code {name}}, {@code {name.raw}}, or a section's first parameter ({@code {#if name == 1}}). */
    private static final Pattern NAME = Pattern.compile(
            "\\{(?:([a-zA-Z_][a-zA-Z0-9_]*)|#(?:if|else if) ([a-zA-Z_][a-zA-Z0-9_]*))");

    private final Engine engine;
    private final Map<String, Template> parsed = new ConcurrentHashMap<>();

    public MessageTexts(Engine engine) {
        this.engine = engine;
    }

    /**
     * The message {@code namespace:key} in {@code language}; {@code arguments} in the message method's parameter
     * order (see {@link #parameters}).
     */
    public String text(String namespace, String key, String language, List<String> names, List<?> arguments) {
        String expression = "{" + namespace + ":" + key
                + (names.isEmpty() ? "" : "(" + String.join(", ", names) + ")") + "}";
        TemplateInstance instance = parsed.computeIfAbsent(expression, engine::parse).instance();
        for (int i = 0; i < names.size(); i++) {
            instance.data(names.get(i), arguments.get(i));
        }
        return instance.setLocale(Locale.forLanguageTag(Languages.orDefault(language))).render();
    }

    /** {@link #text} for a message without parameters. */
    public String text(String namespace, String key, String language) {
        return text(namespace, key, language, List.of(), List.of());
    }

    /**
     * Each message of a bundle interface, by key (its method's name), with its parameters' names in order: from the
     * class file ({@code -parameters}), or — where an image kept no names — in the order they first appear in the
     * English message, which {@code BundlesCompleteTest} keeps the same.
     */
    public static Map<String, List<String>> parameters(Class<?> bundle) {
        Map<String, List<String>> messages = new HashMap<>();
        for (Method method : bundle.getDeclaredMethods()) {
            if (method.isSynthetic() || method.isDefault()) {
                continue;
            }
            Parameter[] parameters = method.getParameters();
            boolean named = Arrays.stream(parameters).allMatch(Parameter::isNamePresent);
            Message message = method.getAnnotation(Message.class);
            messages.put(method.getName(), named || message == null
                    ? Arrays.stream(parameters).map(Parameter::getName).toList()
                    : appearing(message.value()).stream().limit(parameters.length).toList());
        }
        return messages;
    }

    /** The names a message's expressions start with, in order of first appearance ({@code {minutes}}). */
    public static List<String> appearing(String message) {
        Matcher matcher = NAME.matcher(message);
        Set<String> names = new LinkedHashSet<>();
        while (matcher.find()) {
            names.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
        }
        return List.copyOf(names);
    }
}
