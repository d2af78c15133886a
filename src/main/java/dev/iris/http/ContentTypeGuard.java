package dev.iris.http;

import dev.iris.support.ApiException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;

/**
 * Refuses a request whose {@code Content-Type} is not a media type ({@code application/}, {@code a/b/c}, {@code ;})
 * with 400 {@code bad_request} before the REST layer sees it: RESTEasy parses the header while it picks a resource
 * method, outside any exception mapper, and answered 500. The check uses the same parser ({@link MediaType#valueOf}),
 * so every value it lets through is one the REST layer can read; which types an endpoint accepts is still decided
 * there (415 becomes 400 in {@code ErrorMappers}).
 */
@Singleton
public class ContentTypeGuard {

    void install(@Observes Router router) {
        router.route().order(-100).handler(this::check);
    }

    private void check(RoutingContext context) {
        String contentType = context.request().getHeader("Content-Type");
        if (contentType == null || parses(contentType)) {
            context.next();
            return;
        }
        ErrorBody.write(context.response(),
                ApiException.badRequest("The Content-Type header is not a valid media type."));
    }

    static boolean parses(String contentType) {
        try {
            MediaType.valueOf(contentType);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
