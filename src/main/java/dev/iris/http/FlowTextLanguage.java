package dev.iris.http;

import dev.iris.selfservice.flow.FlowView;
import dev.iris.selfservice.ui.UiTranslations;
import dev.iris.support.Languages;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.Optional;

/**
 * The API's flows in the language a client asks for: when a request's {@code Accept-Language} names one of ours other
 * than English, the {@code text} of the flow's ui messages and labels is translated ({@link UiTranslations}); ids,
 * types and contexts never change — UIs that translate by id, as Kratos's do, see no difference. Without the header
 * (or with English, or a language Iris does not speak) the flow is exactly as before, in English. One place, for
 * every flow answer of every endpoint.
 */
public class FlowTextLanguage {

    private final UiTranslations translations;

    public FlowTextLanguage(UiTranslations translations) {
        this.translations = translations;
    }

    @ServerResponseFilter
    public void translate(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(response.getEntity() instanceof FlowView view)) {
            return;
        }
        response.getHeaders().add("Vary", "Accept-Language");
        Optional<String> language = Languages.negotiate(request.getHeaderString("Accept-Language"));
        if (language.isEmpty() || Languages.DEFAULT.equals(language.get())) {
            return;
        }
        response.setEntity(view.withTexts(text -> translations.translated(text, language.get())));
        response.getHeaders().putSingle("Content-Language", language.get());
    }
}
