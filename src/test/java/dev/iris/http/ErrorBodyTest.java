package dev.iris.http;

import dev.iris.support.ApiException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorBodyTest {

    private static ApiException rateLimited() {
        return new ApiException(429, "self_service_flow_rate_limited", "Too many requests; retry after 7 seconds.")
                .header("Retry-After", "7")
                .with("retry_after_seconds", 7L)
                .detail("hint", "wait");
    }

    private static final String RATE_LIMITED = "{\"error\":{\"id\":\"self_service_flow_rate_limited\",\"code\":429,"
            + "\"status\":\"Too Many Requests\",\"reason\":\"Too many requests; retry after 7 seconds.\","
            + "\"message\":\"Too many requests\",\"details\":{\"hint\":\"wait\"}},\"retry_after_seconds\":7}";

    @Test
    void detailsGoInsideTheErrorExtraFieldsBesideIt() {
        assertThat(Json.encode(ErrorBody.of(rateLimited()))).isEqualTo(RATE_LIMITED);
        assertThat(Json.encode(ErrorBody.of(418, "teapot", "r"))).as("an unknown status, no details")
                .isEqualTo("{\"error\":{\"id\":\"teapot\",\"code\":418,\"status\":\"Error\",\"reason\":\"r\","
                        + "\"message\":\"The request could not be processed\"}}");
    }

    /** What whoami wrote by hand before (the status/id/reason body plus the extra fields) for its 403. */
    @Test
    void aSecondFactorRefusalIsWhatWhoamiWroteBefore() {
        ApiException aal2 = new ApiException(403, "session_aal2_required", "r")
                .with("redirect_browser_to", "http://localhost/self-service/login/browser?aal=aal2");
        Map<String, Object> before = ErrorBody.of(403, "session_aal2_required", "r");
        before.putAll(aal2.extra());
        assertThat(Json.encode(ErrorBody.of(aal2))).isEqualTo(Json.encode(before));
    }

    @Test
    void theRestAnswerCarriesStatusTypeHeadersAndBody() {
        try (Response answer = ErrorBody.response(rateLimited())) {
            assertThat(answer.getStatus()).isEqualTo(429);
            assertThat(answer.getHeaderString("Content-Type")).isEqualTo("application/json");
            assertThat(answer.getHeaderString("Retry-After")).isEqualTo("7");
            assertThat(Json.encode(answer.getEntity())).isEqualTo(RATE_LIMITED);
        }
    }

    @Test
    void theVertxAnswerIsTheSame() {
        List<String> calls = new ArrayList<>();
        HttpServerResponse response = (HttpServerResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServerResponse.class}, (proxy, method, args) -> {
                    calls.add(method.getName() + (args == null ? List.of() : List.of(args)));
                    return method.getReturnType().isInstance(proxy) ? proxy : null;
                });

        ErrorBody.write(response, rateLimited());

        assertThat(calls).containsExactly("setStatusCode[429]", "putHeader[Content-Type, application/json]",
                "putHeader[Retry-After, 7]", "end[" + RATE_LIMITED + "]");
    }
}
