package dev.iris.support;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Singleton;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A message of a Qute message bundle looked up by key from Java code, rendered through the engine exactly as a
 * template's {@code {page:key(...)}} is — so a deployment's overrides (README, Languages) apply here too, which a
 * bundle's Java proxy would bypass. Used where the key is chosen at run time (a flow's kind, a ui message's id).
 */
@Singleton
public class MessageTexts {

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
     * Each message of a bundle interface, by key (its method's name), with its parameters' names in order (compiled
     * with {@code -parameters}; the interfaces are registered for reflection in the native image).
     */
    public static Map<String, List<String>> parameters(Class<?> bundle) {
        Map<String, List<String>> messages = new HashMap<>();
        for (Method method : bundle.getDeclaredMethods()) {
            if (!method.isSynthetic() && !method.isDefault()) {
                messages.put(method.getName(), Arrays.stream(method.getParameters()).map(Parameter::getName).toList());
            }
        }
        return messages;
    }
}
