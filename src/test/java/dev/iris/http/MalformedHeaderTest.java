package dev.iris.http;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Design rule 6 for headers: every header the server parses, sent broken to every kind of endpoint, gets a clear
 * 4xx or the normal answer, never a 5xx or a stack trace. {@code Content-Type: application/} on a login post
 * answered 500 ("Failed to parse media type") before.
 */
@QuarkusTest
class MalformedHeaderTest {

    private static final Map<String, List<String>> BROKEN = Map.of(
            "Content-Type", List.of("application/", "/json", "/", ";", "application", "a/b/c", "application/json;;",
                    "application/json; charset=", "application/json; charset=no-such-charset", "application/json; =x",
                    "application/json; charset=\"utf-8", "multipart/form-data", "*/*", "\u00ff/\u00fe", "text/plain; q=x"),
            "Accept", List.of("application/", "/", ";", "a/b/c", "text/html;q=abc", "*/*;q=", "text/html;q=2",
                    "application/json; charset=\"x", "\u00ff", ",,,"),
            "Cookie", List.of("=", ";;;", "iris_session=\"", "a=b; =c", "iris_session=\u00ff\u00fe",
                    "csrf_token_x=%ZZ; iris_session=%", "iris_session=" + "x".repeat(3000), "a"),
            "Origin", List.of("null", "http://", "://", "http://[::1", "http://exa mple.com", "\u00ff", "javascript:1",
                    "http://example.com:99999"),
            "X-Forwarded-For", List.of(",,,", "unknown", "1.2.3.4, , ", "[::1]:80", "999.1.1.1", "::ffff:", "1.2.3.4:5",
                    "2001:db8::1%eth0", "\u00ff", "x".repeat(3000)),
            "Authorization", List.of("Bearer", "Bearer ", "Basic", "Bearer \u00ff", "Bearer a b c", ":", "Bearer " + "x".repeat(5000)));

    @Test
    void brokenHeadersNeverGetA5xx() {
        Api api = Api.local();
        String login = api.newLoginFlow();
        String registration = api.newRegistrationFlow();
        String json = "{\"method\":\"code\",\"identifier\":\"" + Api.uniqueEmail() + "\"}";
        List<String[]> endpoints = List.of(
                new String[] {"GET", "/self-service/login/api", null},
                new String[] {"GET", "/self-service/login/browser", null},
                new String[] {"GET", "/self-service/login/flows?id=" + login, null},
                new String[] {"POST", "/self-service/login?flow=" + login, json},
                new String[] {"POST", "/self-service/registration?flow=" + registration,
                        "{\"method\":\"code\",\"traits\":{\"email\":\"" + Api.uniqueEmail() + "\"}}"},
                new String[] {"GET", "/self-service/settings/browser", null},
                new String[] {"POST", "/self-service/settings?flow=" + login, "{\"method\":\"totp\"}"},
                new String[] {"GET", "/sessions/whoami", null},
                new String[] {"GET", "/sessions", null},
                new String[] {"DELETE", "/self-service/logout/api", "{\"session_token\":\"x\"}"},
                new String[] {"GET", "/self-service/logout/browser", null},
                new String[] {"POST", "/admin/identities", "{\"traits\":{\"email\":\"" + Api.uniqueEmail() + "\"}}"},
                new String[] {"GET", "/login", null},
                new String[] {"GET", "/settings", null},
                new String[] {"GET", "/q/health/live", null});
        List<String> failures = new ArrayList<>();
        int port = RestAssured.port;
        for (String[] endpoint : endpoints) {
            for (Map.Entry<String, List<String>> header : BROKEN.entrySet()) {
                for (String value : header.getValue()) {
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put("X-Forwarded-For", Api.randomIp());
                    if (endpoint[2] != null) {
                        headers.put("Content-Type", "application/json");
                    }
                    if (endpoint[1].startsWith("/admin")) {
                        headers.put("Authorization", "Bearer " + Api.TEST_ADMIN_KEY);
                    }
                    headers.put(header.getKey(), value);
                    RawHttp.Answer answer = RawHttp.exchange(port, endpoint[0], endpoint[1], headers, endpoint[2]);
                    if (answer.status() >= 500 || answer.body().contains("Exception") || answer.body().contains("at dev.iris")) {
                        failures.add(endpoint[0] + " " + endpoint[1] + " with " + header.getKey() + ": " + value
                                + " -> " + answer.status());
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aMalformedContentTypeOnAPostIsABadRequest() {
        String flow = Api.local().newLoginFlow();
        for (String value : List.of("application/", "/json", ";", "a/b/c", "application")) {
            RawHttp.Answer answer = RawHttp.exchange(RestAssured.port, "POST", "/self-service/login?flow=" + flow,
                    Map.of("Content-Type", value, "X-Forwarded-For", Api.randomIp()),
                    "{\"method\":\"code\",\"identifier\":\"a@example.com\"}");
            assertThat(answer.status()).as(value).isEqualTo(400);
            assertThat(answer.body()).as(value).contains("\"id\":\"bad_request\"");
        }
    }
}
