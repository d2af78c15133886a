package dev.iris.support;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Puts a request id (and, when the request names one, the flow id) into the logging context of every request,
 * so each log line of a request carries them ({@code mdc.request_id}, {@code mdc.flow_id} in the JSON logs of
 * the prod profile). A caller's {@code X-Request-Id} is kept when it is a plain token, else a new one is made;
 * the id is echoed in the response. Nothing secret goes in: ids only.
 */
@Singleton
public class RequestLogContext {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    void install(@Observes Router router) {
        router.route().order(-100).handler(this::handle);
    }

    /**
     * A request id needs to be unique, not unpredictable: ThreadLocalRandom instead of {@code UUID.randomUUID()},
     * whose shared SecureRandom would be taken on every request, whoami included.
     */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private void handle(RoutingContext context) {
        String given = context.request().getHeader(HEADER);
        String requestId = given != null && PLAIN.matcher(given).matches() ? given : newId();
        MDC.put("request_id", requestId);
        String flow = context.request().getParam("flow");
        if (flow == null && context.request().path().endsWith("/flows")) {
            flow = context.request().getParam("id");
        }
        Ids.parse(flow).ifPresentOrElse(id -> MDC.put("flow_id", id.toString()), () -> MDC.remove("flow_id"));
        context.response().putHeader(HEADER, requestId);
        context.next();
    }
}
