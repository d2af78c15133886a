package dev.iris.app;

import dev.iris.config.IrisConfig;
import dev.iris.mail.MailMessages;
import dev.iris.selfservice.ui.UiMessages;
import dev.iris.support.Languages;
import dev.iris.support.MessageTexts;
import dev.iris.web.PageMessages;
import io.quarkus.logging.Log;
import io.quarkus.qute.Engine;
import io.quarkus.qute.EngineBuilder;
import io.quarkus.qute.EvalContext;
import io.quarkus.qute.Expression;
import io.quarkus.qute.NamespaceResolver;
import io.quarkus.qute.Results;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A deployment's own wording ({@code iris.messages.overrides}, a directory — in Kubernetes a mounted ConfigMap): for
 * each bundle ({@code mail}, {@code page}, {@code ui}) a namespace resolver that Qute asks before the bundle's own, and
 * that answers only the keys overridden for the language being rendered; every other key falls through to the built-in
 * messages. Each file is read and every message parsed once at start, and a file name, key or parameter Iris does not
 * know stops the start — a typo is never a blank or English string at run time.
 */
@Singleton
public class MessageOverrides {

    private static final Pattern FILE = Pattern.compile("(mail|page|ui)(?:_([a-z]{2,3}))?\\.properties");
    private static final Map<String, Map<String, List<String>>> BUNDLES = Map.of(
            "mail", MessageTexts.parameters(MailMessages.class),
            "page", MessageTexts.parameters(PageMessages.class),
            "ui", MessageTexts.parameters(UiMessages.class));
    /** Above the bundles' own resolvers: asked first, and passes on ({@code NotFound}) what it does not override. */
    private static final int PRIORITY = 100;

    private final IrisConfig config;

    public MessageOverrides(IrisConfig config) {
        this.config = config;
    }

    void register(@Observes EngineBuilder builder) {
        if (config.messages().overrides().isEmpty()) {
            return;
        }
        Path directory = config.messages().overrides().get();
        // bundle -> language -> key -> message
        Map<String, Map<String, Map<String, Template>>> overrides = read(directory);
        overrides.forEach((bundle, byLanguage) -> builder.addNamespaceResolver(NamespaceResolver.builder(bundle)
                .priority(PRIORITY)
                .resolve(context -> {
                    Map<String, Template> messages = byLanguage.get(language(context.getAttribute(
                            TemplateInstance.LOCALE)));
                    Template message = messages == null ? null : messages.get(context.getName());
                    // The builder wraps what this returns in a completed stage: NotFound itself, not a stage of it.
                    return message == null ? Results.NotFound.from(context)
                            : render(message, BUNDLES.get(bundle).get(context.getName()), context.getParams(),
                            context, context.getAttribute(TemplateInstance.LOCALE));
                }).build()));
        Log.infof("Message overrides read from %s: %s", directory, summary(overrides));
    }

    private static CompletionStage<Object> render(Template message, List<String> names, List<Expression> params,
                                                  EvalContext context, Object locale) {
        List<CompletableFuture<Object>> values = params.stream()
                .map(param -> context.evaluate(param).toCompletableFuture()).toList();
        return CompletableFuture.allOf(values.toArray(CompletableFuture[]::new)).thenApply(done -> {
            TemplateInstance instance = message.instance();
            for (int i = 0; i < names.size() && i < values.size(); i++) {
                instance.data(names.get(i), values.get(i).join());
            }
            if (locale != null) {
                instance.setAttribute(TemplateInstance.LOCALE, locale);
            }
            return instance.render();
        });
    }

    static Map<String, Map<String, Map<String, Template>>> read(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("iris.messages.overrides: " + directory + " is not a directory");
        }
        Map<String, Map<String, Map<String, Template>>> overrides = new HashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")) {
                    continue; // a mounted ConfigMap's own bookkeeping
                }
                Matcher matcher = FILE.matcher(name);
                String language = matcher.matches() && matcher.group(2) != null ? matcher.group(2) : Languages.DEFAULT;
                if (!matcher.matches() || !Languages.SUPPORTED.contains(language)) {
                    throw new IllegalStateException("iris.messages.overrides: " + file + " is not <bundle>[_<language>]"
                            + ".properties with a bundle of mail, page, ui and a language of " + Languages.SUPPORTED);
                }
                String bundle = matcher.group(1);
                if (bundle.equals("ui") && language.equals(Languages.DEFAULT)) {
                    // English ui texts are written where each message is made; other languages are found by
                    // comparing with them, so an English override would only switch those translations off.
                    throw new IllegalStateException("iris.messages.overrides: " + file + ": the API's English ui "
                            + "texts cannot be overridden (UIs translate them by id); override ui_de, ui_fr …");
                }
                overrides.computeIfAbsent(bundle, b -> new HashMap<>())
                        .put(language, parse(file, BUNDLES.get(bundle)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("iris.messages.overrides: cannot read " + directory, e);
        }
        return overrides;
    }

    private static Map<String, Template> parse(Path file, Map<String, List<String>> bundle) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("iris.messages.overrides: cannot read " + file, e);
        }
        // Parsed by an engine of its own: the messages are plain text templates of their parameters.
        Engine parser = Engine.builder().addDefaults().build();
        Map<String, Template> messages = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            List<String> parameters = bundle.get(key);
            if (parameters == null) {
                throw new IllegalStateException("iris.messages.overrides: " + file + " overrides " + key
                        + ", which is no message of that bundle");
            }
            Template message = parser.parse(properties.getProperty(key));
            for (Expression expression : message.getExpressions()) {
                String first = expression.getParts().isEmpty() ? "" : expression.getParts().get(0).getName();
                if (expression.isLiteral()) {
                    continue;
                }
                if (expression.getNamespace() != null || expression.getParts().size() != 1
                        || !parameters.contains(first)) {
                    throw new IllegalStateException("iris.messages.overrides: " + file + ": " + key + " uses {"
                            + expression.toOriginalString() + "}, but its parameters are " + parameters);
                }
            }
            messages.put(key, message);
        }
        return messages;
    }

    private static String language(Object locale) {
        String tag = locale instanceof Locale given ? given.getLanguage()
                : locale == null ? Languages.DEFAULT : Locale.forLanguageTag(locale.toString()).getLanguage();
        return Languages.orDefault(tag);
    }

    private static String summary(Map<String, Map<String, Map<String, Template>>> overrides) {
        List<String> parts = new ArrayList<>();
        overrides.forEach((bundle, byLanguage) -> byLanguage.forEach((language, messages) ->
                parts.add(bundle + "_" + language + ": " + messages.size())));
        return String.join(", ", parts);
    }
}
