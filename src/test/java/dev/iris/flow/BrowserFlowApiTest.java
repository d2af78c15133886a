package dev.iris.flow;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.Smtp;
import dev.iris.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** Browser flows as an SPA or a plain form sees them: CSRF pairs, redirects, the session cookie. */
@QuarkusTest
class BrowserFlowApiTest {

    private final Api api = Api.local();

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private record Started(String flow, String csrfCookie, String csrfToken) {
    }

    private Started start(String kind) {
        Response created = api.request().accept(ContentType.JSON).get("/self-service/" + kind + "/browser");
        created.then().statusCode(200).body("type", equalTo("browser"))
                .body("ui.nodes[0].attributes.name", equalTo("csrf_token"));
        assertThat(created.header("Set-Cookie")).contains("iris_csrf=").contains("HttpOnly").contains("SameSite=Lax");
        return new Started(created.path("id"), created.cookie("iris_csrf"), created.path("ui.nodes[0].attributes.value"));
    }

    @Test
    void formCreationRedirectsToTheUi() {
        api.request().redirects().follow(false).get("/self-service/login/browser").then().statusCode(303)
                .header("Location", containsString("/login?flow="))
                .header("Set-Cookie", containsString("iris_csrf="));
    }

    @Test
    void spaLoginByCodeGetsTheCookieAndContinueWith() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        Started s = start("login");
        api.request().cookie("iris_csrf", s.csrfCookie()).queryParam("id", s.flow()).get("/self-service/login/flows")
                .then().statusCode(200);
        api.request().queryParam("id", s.flow()).get("/self-service/login/flows").then().statusCode(403)
                .body("error.id", equalTo("security_csrf_violation"));

        api.request().cookie("iris_csrf", s.csrfCookie()).accept(ContentType.JSON).contentType(ContentType.JSON)
                .queryParam("flow", s.flow())
                .body(Map.of("method", "code", "identifier", email, "csrf_token", s.csrfToken()))
                .post("/self-service/login").then().statusCode(400).body("state", equalTo("sent_email"));
        LoginMail mail = Smtp.awaitLogin(email);

        Response done = api.request().cookie("iris_csrf", s.csrfCookie()).accept(ContentType.JSON)
                .contentType(ContentType.JSON).queryParam("flow", s.flow())
                .body(Map.of("method", "code", "identifier", email, "code", mail.code(), "csrf_token", s.csrfToken()))
                .post("/self-service/login");
        done.then().statusCode(200)
                .body("session.identity.traits.email", equalTo(email))
                .body("continue_with[0].action", equalTo("redirect_browser_to"))
                .body("$", not(org.hamcrest.Matchers.hasKey("session_token")));
        String cookie = done.cookie("iris_session");
        assertThat(done.header("Set-Cookie")).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/");
        api.request().cookie("iris_session", cookie).get("/sessions/whoami").then().statusCode(200)
                .body("identity.traits.email", equalTo(email));

        Response logoutUrl = api.request().cookie("iris_session", cookie).get("/self-service/logout/browser");
        logoutUrl.then().statusCode(200);
        api.request().redirects().follow(false).cookie("iris_session", cookie)
                .queryParam("token", "forged").get("/self-service/logout").then().statusCode(403);
        api.request().redirects().follow(false).cookie("iris_session", cookie)
                .queryParam("token", logoutUrl.<String>path("logout_token")).get("/self-service/logout")
                .then().statusCode(303).header("Set-Cookie", containsString("Max-Age=0"));
        api.request().cookie("iris_session", cookie).get("/sessions/whoami").then().statusCode(401);
    }

    @Test
    void formPostsRedirectAndAWrongCsrfPairGoesToTheErrorPage() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        Started s = start("login");
        // A refused form post sends the browser to the error page (as Kratos does), the error kept for the UI.
        String forged = api.request().redirects().follow(false).cookie("iris_csrf", s.csrfCookie())
                .contentType(ContentType.URLENC).queryParam("flow", s.flow()).formParam("method", "code")
                .formParam("identifier", email).formParam("csrf_token", "forged").post("/self-service/login")
                .then().statusCode(303).header("Location", containsString("/error?id=")).extract().header("Location");
        api.request().queryParam("id", forged.substring(forged.indexOf("id=") + 3)).get("/self-service/errors")
                .then().statusCode(200).body("error.id", equalTo("security_csrf_violation"))
                .body("error.code", equalTo(403));
        api.request().redirects().follow(false).contentType(ContentType.URLENC)
                .queryParam("flow", s.flow()).formParam("method", "code").formParam("identifier", email)
                .formParam("csrf_token", s.csrfToken()).post("/self-service/login").then().statusCode(303)
                .header("Location", containsString("/error?id="));
        assertThat(Smtp.messagesTo(email)).isEmpty();

        api.request().redirects().follow(false).cookie("iris_csrf", s.csrfCookie()).contentType(ContentType.URLENC)
                .queryParam("flow", s.flow()).formParam("method", "code").formParam("identifier", email)
                .formParam("csrf_token", s.csrfToken()).post("/self-service/login").then().statusCode(303)
                .header("Location", containsString("/login?flow=" + s.flow()));
        LoginMail mail = Smtp.awaitLogin(email);
        api.request().redirects().follow(false).cookie("iris_csrf", s.csrfCookie()).contentType(ContentType.URLENC)
                .queryParam("flow", s.flow()).formParam("method", "code").formParam("identifier", email)
                .formParam("code", mail.code()).formParam("csrf_token", s.csrfToken())
                .post("/self-service/login").then().statusCode(303)
                .header("Location", containsString("/welcome"))
                .header("Set-Cookie", containsString("iris_session="));
    }

    @Test
    void aLinkWorksFromAnotherBrowserWithItsOwnPairButTheCodeDoesNot() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        Started owner = start("login");
        api.request().cookie("iris_csrf", owner.csrfCookie()).accept(ContentType.JSON).contentType(ContentType.JSON)
                .queryParam("flow", owner.flow())
                .body(Map.of("method", "code", "identifier", email, "csrf_token", owner.csrfToken()))
                .post("/self-service/login").then().statusCode(400);
        LoginMail mail = Smtp.awaitLogin(email);
        Started other = start("login");

        api.request().cookie("iris_csrf", other.csrfCookie()).accept(ContentType.JSON).contentType(ContentType.JSON)
                .queryParam("flow", owner.flow())
                .body(Map.of("method", "code", "identifier", email, "code", mail.code(), "csrf_token", other.csrfToken()))
                .post("/self-service/login").then().statusCode(400).body("ui.messages[0].id", equalTo(4010008));
        api.request().cookie("iris_csrf", other.csrfCookie()).accept(ContentType.JSON).contentType(ContentType.JSON)
                .queryParam("flow", owner.flow())
                .body(Map.of("method", "code", "code", mail.linkToken(), "csrf_token", other.csrfToken()))
                .post("/self-service/login").then().statusCode(200);
    }

    /** A sign-in started in a native app (api flow), its email's link opened in a browser: the browser signs in. */
    @Test
    void aBrowserRedeemsTheLinkOfAnApiFlowWithItsOwnPair() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String flow = api.newLoginFlow();
        api.send(flow, email).then().statusCode(400);
        LoginMail mail = Smtp.awaitLogin(email);
        Started browser = start("login");

        // the confirmation page's form post: the browser's cookie and token, an Origin header
        api.request().redirects().follow(false).cookie("iris_csrf", browser.csrfCookie())
                .header("Origin", "http://localhost:8080").contentType(ContentType.URLENC).queryParam("flow", flow)
                .formParam("method", "code").formParam("code", mail.linkToken()).formParam("csrf_token", "forged")
                .post("/self-service/login").then().statusCode(303).header("Location", containsString("/error?id="));
        api.request().cookie("iris_csrf", browser.csrfCookie()).header("Origin", "http://localhost:8080")
                .contentType(ContentType.JSON).queryParam("flow", flow)
                .body(Map.of("method", "code", "identifier", email, "code", mail.code(), "csrf_token",
                        browser.csrfToken()))
                .post("/self-service/login").then().statusCode(400).body("error.id", equalTo("bad_request"));
        Response done = api.request().redirects().follow(false).cookie("iris_csrf", browser.csrfCookie())
                .header("Origin", "http://localhost:8080").contentType(ContentType.URLENC).queryParam("flow", flow)
                .formParam("method", "code").formParam("code", mail.linkToken())
                .formParam("csrf_token", browser.csrfToken())
                .post("/self-service/login");
        done.then().statusCode(303).header("Location", containsString("/welcome"));
        assertThat(done.asString()).doesNotContain("ory_st_");
        api.request().cookie("iris_session", done.cookie("iris_session")).get("/sessions/whoami").then()
                .statusCode(200).body("identity.traits.email", equalTo(email));
    }

    @Test
    void returnToMustBeAllowed() {
        api.request().accept(ContentType.JSON).queryParam("return_to", "https://evil.example/")
                .get("/self-service/login/browser").then().statusCode(400)
                .body("error.id", equalTo("self_service_flow_return_to_forbidden"));
        // a browser (not an SPA) is sent to the error page, never to raw JSON; the error is kept for the UI
        String errorPage = api.request().redirects().follow(false).queryParam("return_to", "https://evil.example/")
                .get("/self-service/login/browser").then().statusCode(303)
                .header("Location", containsString("/error?id=")).extract().header("Location");
        api.request().queryParam("id", errorPage.substring(errorPage.indexOf("id=") + 3)).get("/self-service/errors")
                .then().statusCode(200).body("error.id", equalTo("self_service_flow_return_to_forbidden"));
        api.request().redirects().follow(false).queryParam("return_to", "http://localhost:8080/somewhere")
                .get("/self-service/registration/browser").then().statusCode(303);
        // api flows too, as in Kratos: a native app must not be handed a javascript: or foreign return_to
        for (String kind : new String[] {"login", "registration"}) {
            for (String bad : new String[] {"https://evil.example/", "javascript:alert(1)", "//evil.example/x"}) {
                api.request().queryParam("return_to", bad).get("/self-service/" + kind + "/api").then()
                        .statusCode(400).body("error.id", equalTo("self_service_flow_return_to_forbidden"));
            }
            api.request().queryParam("return_to", "http://localhost:8080/somewhere")
                    .get("/self-service/" + kind + "/api").then().statusCode(200)
                    .body("return_to", equalTo("http://localhost:8080/somewhere"));
        }
    }

    @Test
    void anExpiredBrowserFlowPointsToAFreshBrowserFlowOfTheSameBrowser() {
        Started s = start("login");
        clock.advance(Duration.ofMinutes(61));
        Response expired = api.request().cookie("iris_csrf", s.csrfCookie()).queryParam("id", s.flow())
                .get("/self-service/login/flows");
        expired.then().statusCode(410).body("error.id", equalTo("self_service_flow_expired"));
        String fresh = expired.path("use_flow_id");

        api.request().cookie("iris_csrf", s.csrfCookie()).queryParam("id", fresh).get("/self-service/login/flows")
                .then().statusCode(200).body("type", equalTo("browser")).body("state", equalTo("choose_method"))
                .body("ui.nodes[0].attributes.name", equalTo("csrf_token"));
        api.request().queryParam("id", fresh).get("/self-service/login/flows").then().statusCode(403)
                .body("error.id", equalTo("security_csrf_violation"));
    }

    @Test
    void pagesCarrySecurityHeadersAndNeverConsumeOnGet() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String flow = api.newLoginFlow();
        api.send(flow, email).then().statusCode(400);
        LoginMail mail = Smtp.awaitLogin(email);
        Response page = api.request().queryParam("flow", flow).queryParam("code", mail.linkToken()).get("/login");
        page.then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("Referrer-Policy", equalTo("no-referrer"))
                .header("Cache-Control", containsString("no-store"));
        assertThat(page.asString()).contains("Continue signing in").contains("u•••@example.com").doesNotContain(email);
        api.request().get("/error?id=not_found").then().statusCode(200).body(containsString("data-error-id"));
        api.redeemLink(flow, mail.linkToken()).then().statusCode(200); // the GET consumed nothing
    }
}
