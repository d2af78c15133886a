package dev.iris.web;

import dev.iris.config.IrisConfig;
import dev.iris.credential.WebAuthnStore;
import dev.iris.http.FlowAnswers;
import dev.iris.http.ReturnUrls;
import dev.iris.http.SelfServiceErrors;
import dev.iris.selfservice.login.FirstFactorFlowService;
import dev.iris.http.CsrfTokens;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowState;
import dev.iris.selfservice.ui.UiText;
import dev.iris.http.Cookies;
import dev.iris.session.SessionService;
import dev.iris.support.ApiException;
import dev.iris.support.Ids;
import dev.iris.support.Masking;
import dev.iris.support.SelfServiceUrls;
import dev.iris.support.MessageTexts;
import io.quarkus.qute.Engine;
import io.quarkus.qute.RawString;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The built-in sign-in pages ("Hera") for login, registration, recovery and verification: server-rendered, no external assets, working without JavaScript.
 * Pages only render; every action is a form POST to the self-service API. A GET never consumes anything:
 * {@code /login?flow=…&code=…} shows a confirmation whose button POSTs the token (mail scanners open links).
 */
@Path("/")
@Produces("text/html")
public class HeraPages {

    private final FirstFactorFlowService flows;
    private final SessionService sessions;
    private final CsrfTokens csrf;
    private final Cookies cookies;
    private final FlowAnswers answers;
    private final SelfServiceUrls urls;
    private final SelfServiceErrors errors;
    private final ReturnUrls returnUrls;
    private final IrisConfig config;
    private final java.time.Clock clock;
    private final Template flowPage;
    private final Template confirmPage;
    private final Template welcomePage;
    private final Template errorPage;
    private final Template secondFactorPage;
    private final WebAuthnStore passkeys;
    private final PageLanguage languages;
    private final MessageTexts texts;

    public HeraPages(FirstFactorFlowService flows, SessionService sessions, CsrfTokens csrf, Cookies cookies,
                     FlowAnswers answers, SelfServiceUrls urls, SelfServiceErrors errors, ReturnUrls returnUrls,
                     IrisConfig config, java.time.Clock clock, Engine engine, WebAuthnStore passkeys,
                     PageLanguage languages, MessageTexts texts) {
        this.passkeys = passkeys;
        this.languages = languages;
        this.texts = texts;
        this.errors = errors;
        this.returnUrls = returnUrls;
        this.answers = answers;
        this.urls = urls;
        this.clock = clock;
        this.flows = flows;
        this.sessions = sessions;
        this.csrf = csrf;
        this.cookies = cookies;
        this.config = config;
        this.flowPage = engine.getTemplate("hera/flow.html");
        this.confirmPage = engine.getTemplate("hera/confirm.html");
        this.welcomePage = engine.getTemplate("hera/welcome.html");
        this.errorPage = engine.getTemplate("hera/error.html");
        this.secondFactorPage = engine.getTemplate("hera/second-factor.html");
    }

    /** {@code /login}, {@code /registration}, {@code /recovery}, {@code /verification}: one page per flow. */
    @GET
    @Path("/{page: login|registration|recovery|verification}")
    @Operation(hidden = true)
    public Uni<Response> flow(@PathParam("page") String page, @QueryParam("flow") String flow,
                              @QueryParam("code") String code, @QueryParam("return_to") String returnTo,
                              @QueryParam("lang") String lang, @Context HttpServerRequest request) {
        FlowKind kind = FlowKind.valueOf(page.toUpperCase(Locale.ROOT));
        return flowPage(kind, flow, code, returnTo, request, languages.of(request, lang));
    }

    @GET
    @Path("/welcome")
    @Operation(hidden = true)
    public Uni<Response> welcome(@QueryParam("lang") String lang, @Context HttpServerRequest request) {
        PageLanguage.Choice language = languages.of(request, lang);
        Cookie cookie = request.getCookie(cookies.sessionName());
        if (cookie == null) {
            return Uni.createFrom().item(Response.seeOther(URI.create(config.uiBaseUrl() + "/login")).build());
        }
        String token = cookie.getValue();
        return sessions.whoami(token)
                .chain(entry -> offerPasskey(entry.identityId()).map(offer -> {
                    io.vertx.core.json.JsonObject session = new io.vertx.core.json.JsonObject(entry.json());
                    String email = session.getJsonObject("identity").getJsonObject("traits").getString("email");
                    return page(welcomePage.data("emailHtml", Html.strong("email", email))
                            .data("offerPasskey", offer)
                            .data("expiresAt", DateTimeFormatter.ofLocalizedDateTime(FormatStyle.LONG,
                                    FormatStyle.LONG).withLocale(language.locale()).withZone(ZoneOffset.UTC)
                                    .format(entry.expiresAt()))
                            .data("settingsUrl", config.uiBaseUrl() + "/settings")
                            .data("logoutUrl", config.publicUrl() + "/self-service/logout?token="
                                    + csrf.logoutToken(token)), 200, null, language);
                }))
                .onFailure(ApiException.class).recoverWithItem(failure -> Response.seeOther(URI.create(
                        "session_aal2_required".equals(((ApiException) failure).id())
                                ? urls.secondFactorLogin(null)
                                : config.uiBaseUrl() + "/login")).build());
    }

    @GET
    @Path("/error")
    @Operation(hidden = true)
    public Uni<Response> error(@QueryParam("id") String id, @QueryParam("lang") String lang,
                               @Context HttpServerRequest request) {
        PageLanguage.Choice language = languages.of(request, lang);
        Optional<UUID> kept = id == null ? Optional.empty() : Ids.parse(id);
        if (kept.isEmpty()) {
            return Uni.createFrom().item(errorResponse(id == null ? "unknown" : id.replaceAll("[^a-z_]", ""), 200,
                    FlowKind.LOGIN, language));
        }
        // An error Iris kept when it sent the browser here (what /self-service/errors?id= serves to other UIs).
        return errors.find(kept.get())
                .map(json -> new io.vertx.core.json.JsonObject(json).getJsonObject("error").getString("id", "unknown"))
                .onFailure(ApiException.class).recoverWithItem("unknown")
                .map(name -> errorResponse(name, 200, FlowKind.LOGIN, language));
    }

    private Uni<Response> flowPage(FlowKind kind, String flowParam, String code, String returnTo,
                                   HttpServerRequest request, PageLanguage.Choice language) {
        if (flowParam == null || flowParam.isBlank()) {
            String query = returnTo == null ? "" : "?return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
            return Uni.createFrom().item(Response.seeOther(URI.create(restartUrl(kind) + query)).build());
        }
        Optional<UUID> id = Ids.parse(flowParam);
        if (id.isEmpty()) {
            return Uni.createFrom().item(errorResponse("not_found", 404, kind, language));
        }
        FlowAnswers.BrowserCsrf browser = answers.browserCsrf(request);
        String csrfCookie = browser.value();
        String setCookie = answers.setCookie(browser);
        return flows.page(kind, id.get(), csrfCookie)
                .map(page -> code != null && !code.isBlank()
                        ? confirm(kind, page, code, csrfCookie, setCookie, language)
                        : form(kind, page, csrfCookie, setCookie, language))
                .onFailure(ApiException.class).recoverWithItem(failure -> errorResponse(
                        ((ApiException) failure).id(), ((ApiException) failure).status(), kind, language));
    }

    private Response confirm(FlowKind kind, FirstFactorFlowService.PageFlow page, String code, String csrfCookie,
                             String setCookie, PageLanguage.Choice language) {
        FlowPageText text = FlowPageText.of(kind, texts, language.tag());
        String masked = Html.strong("masked-address", Masking.maskEmail(page.address())).toString();
        TemplateInstance view = confirmPage
                .data("heading", text.text("ConfirmHeading"))
                .data("question", new RawString(text.question(masked)))
                .data("button", text.text("ConfirmButton"))
                .data("action", action(kind, page.flow().id()))
                .data("csrfToken", csrf.formToken(csrfCookie))
                .data("code", code.length() > 100 ? "" : code);
        return Response.fromResponse(page(view, 200, setCookie, language)).header("X-Robots-Tag", "noindex, nofollow")
                .build();
    }

    private Response form(FlowKind kind, FirstFactorFlowService.PageFlow page, String csrfCookie, String setCookie,
                          PageLanguage.Choice language) {
        if (page.flow().secondFactor()) {
            return page(secondFactorPage
                    .data("messages", language.messages(page.messages().stream()
                            .filter(m -> "error".equals(m.type())).toList()))
                    .data("securityKeyOptions", nodeValue(page, "webauthn_login_trigger"))
                    .data("totp", hasNode(page, "totp_code"))
                    .data("backupCodes", hasNode(page, "lookup_secret"))
                    .data("action", action(kind, page.flow().id()))
                    .data("csrfToken", csrf.formToken(csrfCookie)), 200, setCookie, language);
        }
        FlowPageText text = FlowPageText.of(kind, texts, language.tag());
        boolean sent = page.flow().state() == FlowState.SENT_EMAIL;
        boolean verified = kind == FlowKind.VERIFICATION && page.flow().state() == FlowState.PASSED_CHALLENGE;
        Instant resendAt = page.flow().resendAt();
        long wait = resendAt == null ? 0 : Math.max(0, Duration.between(clock.instant(), resendAt).toSeconds() + 1);
        // The page says "check your email" itself; only problems need a message box.
        List<UiText> messages = page.messages().stream().filter(m -> "error".equals(m.type())).toList();
        TemplateInstance view = flowPage
                .data("heading", verified ? texts.text("page", "verifiedHeading", language.tag())
                        : sent ? texts.text("page", "sentHeading", language.tag()) : text.text("Heading"))
                .data("intro", text.text("Intro"))
                .data("submitLabel", text.text("Submit"))
                .data("sent", sent)
                .data("verified", verified)
                .data("continueUrl", page.flow().continueTo(config.defaultReturnUrl()))
                .data("addressWithCode", kind == FlowKind.LOGIN || kind == FlowKind.REGISTRATION)
                .data("passkeyChallenge", nodeValue(page, "passkey_challenge"))
                .data("passkeyCreateData", nodeValue(page, "passkey_create_data"))
                .data("passkeyKept", page.flow().pending("passkey") != null)
                .data("messages", language.messages(messages))
                .data("addressHtml", Html.strong("address",
                        page.owner() ? page.address() : Masking.maskEmail(page.address())))
                .data("fullAddress", page.owner() && page.address() != null ? page.address() : "")
                .data("addressField", kind.addressField())
                .data("action", action(kind, page.flow().id()))
                .data("csrfToken", csrf.formToken(csrfCookie))
                .data("resendSeconds", resendAt == null ? 0 : Math.min(wait, 3600))
                .data("countdown", new RawString("<span id=\"countdown\">" + Math.min(wait, 3600) + "</span>"))
                .data("resendAt", resendAt == null ? "" : resendAt.toString())
                .data("minutes", config.code().lifespan().toMinutes())
                .data("restartUrl", restartUrl(kind))
                .data("otherUrl", restartUrl(text.other()))
                .data("otherLabel", text.text("Other"));
        return page(view, 200, setCookie, language);
    }

    /**
     * After a sign-in by email, browsers do not offer to create a passkey on their own: the welcome page does, while
     * passkeys are on and the identity has none.
     */
    private Uni<Boolean> offerPasskey(UUID identityId) {
        return config.webauthn().enabled() ? passkeys.of(identityId, WebAuthnStore.Kind.PASSKEY).map(List::isEmpty)
                : Uni.createFrom().item(false);
    }

    /** The value of the flow's node called {@code name} (a method's data the page needs), or "" when it has none. */
    private static boolean hasNode(FirstFactorFlowService.PageFlow page, String name) {
        return page.view().ui().nodes().stream().anyMatch(node -> name.equals(node.name()));
    }

    private static String nodeValue(FirstFactorFlowService.PageFlow page, String name) {
        return page.view().ui().nodes().stream().filter(node -> name.equals(node.name()))
                .map(node -> node.attributes().get("value")).filter(java.util.Objects::nonNull)
                .map(Object::toString).findFirst().orElse("");
    }

    private Response errorResponse(String id, int status, FlowKind kind, PageLanguage.Choice language) {
        String key = switch (id) {
            case "self_service_flow_expired" -> "errorExpired";
            case "not_found" -> "errorNotFound";
            case "security_csrf_violation" -> "errorCsrf";
            default -> "errorOther";
        };
        return page(errorPage.data("id", id).data("text", texts.text("page", key, language.tag()))
                .data("restartUrl", restartUrl(kind)), status, null, language);
    }

    private Response page(TemplateInstance view, int status, String setCookie, PageLanguage.Choice language) {
        Response.ResponseBuilder builder = language.apply(PageHeaders.html(Response.status(status),
                        returnUrls.formActionSources()))
                .entity(language.apply(view).data("appName", config.mail().appName()).render());
        if (setCookie != null) {
            builder.header("Set-Cookie", setCookie);
        }
        return builder.build();
    }

    private String action(FlowKind kind, UUID id) {
        return urls.action(kind.path(), id);
    }

    private String restartUrl(FlowKind kind) {
        return config.publicUrl() + "/self-service/" + kind.path() + "/browser";
    }
}
