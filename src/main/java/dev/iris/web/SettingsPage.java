package dev.iris.web;

import dev.iris.config.IrisConfig;
import dev.iris.http.CsrfTokens;
import dev.iris.http.ReturnUrls;
import dev.iris.selfservice.flow.FlowView;
import dev.iris.selfservice.settings.SettingsFlowService;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import dev.iris.identity.IdentityView;
import dev.iris.http.Cookies;
import dev.iris.support.ApiException;
import dev.iris.support.Ids;
import dev.iris.support.MessageTexts;
import io.quarkus.qute.Engine;
import io.quarkus.qute.RawString;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /settings}: the built-in page for the email address (changed once a code sent to the new one is entered)
 * and the second factor — QR code and key to link an authenticator app, backup codes shown once (copy and print),
 * unlink and turn off. Only renders; every change is a form POST to
 * {@code /self-service/settings}. A session that is too old or still lacks AAL2 is sent through the login that
 * fixes it, and comes back here.
 */
@Path("/settings")
@Produces("text/html")
public class SettingsPage {

    private final SettingsFlowService settings;
    private final ReturnUrls returnUrls;
    private final CsrfTokens csrf;
    private final Cookies cookies;
    private final IrisConfig config;
    private final Template template;
    private final PageLanguage languages;
    private final MessageTexts texts;

    public SettingsPage(SettingsFlowService settings, CsrfTokens csrf, Cookies cookies, ReturnUrls returnUrls,
                        IrisConfig config, Engine engine, PageLanguage languages, MessageTexts texts) {
        this.languages = languages;
        this.texts = texts;
        this.returnUrls = returnUrls;
        this.settings = settings;
        this.csrf = csrf;
        this.cookies = cookies;
        this.config = config;
        this.template = engine.getTemplate("hera/settings.html");
    }

    @GET
    @Operation(hidden = true)
    public Uni<Response> show(@QueryParam("flow") String flowParam, @QueryParam("lang") String lang,
                              @Context HttpServerRequest request) {
        PageLanguage.Choice language = languages.of(request, lang);
        Optional<UUID> id = flowParam == null ? Optional.empty() : Ids.parse(flowParam);
        Cookie csrfCookie = request.getCookie(CsrfTokens.COOKIE);
        Cookie session = request.getCookie(cookies.sessionName());
        if (id.isEmpty() || csrfCookie == null || session == null) {
            return Uni.createFrom().item(redirect(config.publicUrl() + "/self-service/settings/browser"));
        }
        return settings.fetch(id.get(), session.getValue(), csrfCookie.getValue())
                .map(view -> render(view, csrfCookie.getValue(), language))
                // Not this session's flow, too old a sign-in, AAL2 missing, signed out: starting over sends the
                // browser wherever that is fixed (see SettingsResource).
                .onFailure(ApiException.class).recoverWithItem(
                        () -> redirect(config.publicUrl() + "/self-service/settings/browser"));
    }

    private Response render(FlowView view, String csrfCookie, PageLanguage.Choice language) {
        List<UiNode> nodes = view.ui().nodes();
        Optional<UiNode> qr = node(nodes, "totp_qr");
        Optional<UiNode> secret = node(nodes, "totp_secret_key");
        Optional<UiNode> codes = node(nodes, "lookup_secret_codes");
        long unused = nodes.stream().anyMatch(n -> "lookup_secret_disable".equals(n.key())) ? 1 : 0;
        String email = ((IdentityView) view.identity()).traits().get("email");
        // A change of address waiting for its code: the profile group then shows the new address and a code field.
        boolean changing = node(nodes, "code").isPresent();
        String newEmail = changing ? node(nodes, "traits.email").map(n -> (String) n.attributes().get("value"))
                .orElse("") : "";
        DateTimeFormatter dates = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(language.locale())
                .withZone(ZoneOffset.UTC);
        String never = texts.text("page", "never", language.tag());
        var page = template.data("email", email)
                .data("emailHtml", Html.strong("email", email))
                .data("locale", ((IdentityView) view.identity()).traits().getOrDefault("locale", ""))
                .data("messages", language.messages(view.ui().messages()))
                .data("changing", changing)
                .data("passkeyOptions", node(nodes, "passkey_create_data")
                        .map(n -> (String) n.attributes().get("value")).orElse(""))
                .data("passkeys", listed(nodes, "passkey_remove", dates, never))
                .data("securityKeyOptions", node(nodes, "webauthn_register_trigger")
                        .map(n -> (String) n.attributes().get("value")).orElse(""))
                .data("securityKeys", listed(nodes, "webauthn_remove", dates, never))
                .data("newEmail", newEmail)
                .data("enrolled", qr.isEmpty())
                .data("qr", qr.map(n -> (String) n.attributes().get("src")).orElse(""))
                .data("secret", secret.map(n -> ((UiText) n.attributes().get("text")).text()).orElse(""))
                .data("codes", codes.map(n -> secrets((UiText) n.attributes().get("text"))).orElse(null))
                .data("unusedCodes", unused)
                .data("action", view.ui().action())
                .data("csrfToken", csrf.formToken(csrfCookie))
                .data("welcomeUrl", config.uiBaseUrl() + "/welcome")
                .data("appName", config.mail().appName());
        return language.apply(PageHeaders.html(Response.ok(), returnUrls.formActionSources()))
                .entity(language.apply(page).render()).build();
    }

    /** A passkey or security key as the page lists it: its id (hex), name, when it was added and last used. */
    @io.quarkus.qute.TemplateData
    record Credential(String id, String name, String added, String lastUsed) {

        /** From a remove node's value and label context; dates in the page's language (UTC days). */
        static Credential of(String id, UiText label, DateTimeFormatter dates, String never) {
            Object lastUsed = label.context().get("last_used_at");
            return new Credential(id, String.valueOf(label.context().get("display_name")),
                    dates.format(Instant.parse(String.valueOf(label.context().get("added_at")))),
                    lastUsed == null ? never : dates.format(Instant.parse(lastUsed.toString())));
        }
    }

    /** The credentials whose remove buttons are called {@code removeName}. */
    private static List<Credential> listed(List<UiNode> nodes, String removeName, DateTimeFormatter dates,
                                           String never) {
        return nodes.stream().filter(n -> removeName.equals(n.key()))
                .map(n -> Credential.of((String) n.attributes().get("value"), (UiText) n.meta().get("label"), dates,
                        never))
                .toList();
    }

    /** The codes on show: the {@code secret} of each message in the node's {@code context.secrets}. */
    private static List<Object> secrets(UiText codes) {
        return ((List<?>) codes.context().get("secrets")).stream()
                .map(secret -> ((UiText) secret).context().get("secret")).toList();
    }

    private static Optional<UiNode> node(List<UiNode> nodes, String key) {
        return nodes.stream().filter(n -> key.equals(n.key())).findFirst();
    }

    private static Response redirect(String target) {
        return Response.seeOther(URI.create(target)).build();
    }
}
