package dev.iris.selfservice.ui;

import dev.iris.support.Languages;
import dev.iris.support.MessageTexts;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code text} of a Kratos ui message in another language, by its id ({@link UiMessages}); the id, type and
 * context never change, so UIs that translate by id see no difference. A message is translated only when its text is
 * exactly what Iris itself writes for that id in English — a pre-hook's own words under a known id, or an id this
 * bundle does not cover, stay as they are.
 */
@Singleton
public class UiTranslations {

    private static final String BUNDLE = "ui";
    private static final Map<String, List<String>> MESSAGES = MessageTexts.parameters(UiMessages.class);

    private final MessageTexts texts;

    public UiTranslations(MessageTexts texts) {
        this.texts = texts;
    }

    /** {@code text} in {@code language} (one of {@link Languages#SUPPORTED}); English and unknown ids as they are. */
    public UiText translated(UiText text, String language) {
        if (text == null || language == null || Languages.DEFAULT.equals(language)) {
            return text;
        }
        String key = "m" + text.id();
        List<String> names = MESSAGES.get(key);
        if (names == null) {
            return text;
        }
        List<Object> arguments = new ArrayList<>(names.size());
        for (String name : names) {
            Object value = text.context() == null ? null : text.context().get(name);
            if (value == null) {
                return text;
            }
            arguments.add(value);
        }
        if (!Objects.equals(text.text(), texts.text(BUNDLE, key, Languages.DEFAULT, names, arguments))) {
            return text; // not Iris's own words for this id
        }
        return new UiText(text.id(), text.type(), texts.text(BUNDLE, key, language, names, arguments),
                text.context());
    }

    /** Each of {@code texts} translated. */
    public List<UiText> translated(List<UiText> list, String language) {
        return list.stream().map(text -> translated(text, language)).toList();
    }
}
