package dev.iris.web;

import dev.iris.http.Cookies;
import dev.iris.selfservice.ui.UiText;
import dev.iris.selfservice.ui.UiTranslations;
import dev.iris.support.Languages;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The language a built-in page speaks: the one picked in the page's switcher ({@code ?lang=de}, then kept in a cookie
 * for a year), else the browser's {@code Accept-Language} (quality values honoured), else English. Each page says
 * which ({@code <html lang>}, {@code Content-Language}) and offers the others.
 */
@Singleton
class PageLanguage {

    /** One entry of the switcher: a language named in itself, and this page in it. */
    @TemplateData
    record Option(String tag, String name, String href, boolean current) {
    }

    /** What a page speaks, and the cookie to set when the request just chose it. */
    record Choice(String tag, String setCookie, List<Option> options, UiTranslations translations) {

        /** A flow's ui messages as the page shows them, in its language. */
        List<UiText> messages(List<UiText> messages) {
            return translations.translated(messages, tag);
        }

        Locale locale() {
            return Locale.forLanguageTag(tag);
        }

        TemplateInstance apply(TemplateInstance view) {
            return view.setLocale(locale()).data("lang", tag).data("languages", options);
        }

        Response.ResponseBuilder apply(Response.ResponseBuilder builder) {
            builder.header("Content-Language", tag).header("Vary", "Accept-Language, Cookie");
            return setCookie == null ? builder : builder.header("Set-Cookie", setCookie);
        }
    }

    private final Cookies cookies;
    private final UiTranslations translations;

    PageLanguage(Cookies cookies, UiTranslations translations) {
        this.cookies = cookies;
        this.translations = translations;
    }

    /** For a page request; {@code requested}: its {@code lang} parameter (the switcher's links), if any. */
    Choice of(HttpServerRequest request, String requested) {
        Optional<String> picked = Languages.supported(requested);
        Cookie kept = request.getCookie(Languages.COOKIE);
        String tag = picked.or(() -> Languages.chosen(kept == null ? null : kept.getValue(),
                request.getHeader("Accept-Language"))).orElse(Languages.DEFAULT);
        String setCookie = picked.isPresent() && (kept == null || !tag.equals(kept.getValue()))
                ? cookies.language(tag) : null;
        return new Choice(tag, setCookie, options(request, tag), translations);
    }

    /** Each language's link: this page's own query with {@code lang} set, relative (behind any path prefix). */
    private static List<Option> options(HttpServerRequest request, String current) {
        String query = request.query() == null ? "" : request.query();
        StringBuilder kept = new StringBuilder();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty() && !pair.startsWith("lang=")) {
                kept.append(pair).append('&');
            }
        }
        return Languages.SUPPORTED.stream().map(tag -> {
            Locale locale = Locale.forLanguageTag(tag);
            String name = locale.getDisplayLanguage(locale);
            return new Option(tag, name.substring(0, 1).toUpperCase(locale) + name.substring(1),
                    "?" + kept + "lang=" + URLEncoder.encode(tag, StandardCharsets.UTF_8), tag.equals(current));
        }).toList();
    }
}
