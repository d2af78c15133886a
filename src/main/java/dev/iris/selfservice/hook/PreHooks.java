package dev.iris.selfservice.hook;

import dev.iris.config.HooksConfig;
import dev.iris.config.IrisConfig;
import dev.iris.events.WebhookEndpoints;
import dev.iris.events.WebhookSigner;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.ui.UiText;
import dev.iris.session.ClientInfo;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Blocking pre-hooks, Kratos's {@code web_hook} with {@code can_interrupt}: before a registration sends its code and
 * before a sign-in issues a session, Iris POSTs the identity's traits and the method to the configured URL and waits.
 * A 2xx allows. An answer of 400 or more whose body is Kratos's interrupt shape —
 * {@code {"messages":[{"instance_ptr":"#/traits/email","messages":[{"id":…,"text":…,"type":"error"}]}]}} — denies with
 * those messages, shown to the user. Anything else (another status or body, a refused connection, no answer within
 * {@code timeout}) is a failure, and {@code on-failure} decides: deny (the default, fail closed) or allow.
 */
@Singleton
public class PreHooks {

    private static final int MAX_MESSAGES = 10;
    private static final int MAX_TEXT = 500;
    private static final int MAX_BODY = 64 * 1024;

    /** The answer: allowed, or denied with messages for the form and for the address field. */
    public record Verdict(boolean allowed, List<UiText> messages, UiText addressMessage) {

        static final Verdict ALLOW = new Verdict(true, List.of(), null);

        /** Every message, for a form with no address field (a passkey sign-in). */
        public List<UiText> allMessages() {
            if (addressMessage == null) {
                return messages;
            }
            List<UiText> all = new ArrayList<>(messages);
            all.add(addressMessage);
            return List.copyOf(all);
        }
    }

    private final HooksConfig config;
    private final Vertx vertx;
    private final Map<String, Optional<WebhookSigner>> signers;
    private volatile WebClient client;

    public PreHooks(IrisConfig config, Vertx vertx) {
        this.config = config.hooks();
        this.vertx = vertx;
        this.signers = Map.of("before_registration", signer("before-registration", this.config.beforeRegistration()),
                "before_login", signer("before-login", this.config.beforeLogin()));
    }

    private static Optional<WebhookSigner> signer(String name, HooksConfig.Hook hook) {
        hook.url().ifPresent(url -> WebhookEndpoints.httpUrl("iris.hooks." + name + ".url", url));
        try {
            return hook.secret().map(WebhookSigner::new);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("iris.hooks." + name + ".secret: " + e.getMessage());
        }
    }

    void start(@Observes StartupEvent event) {
        client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false)
                .setUserAgent("Iris-Hooks/1"));
    }

    /** Before a sign-up sends its code to {@code email}. */
    public Uni<Verdict> beforeRegistration(Flow flow, String email, String method, ClientInfo client) {
        return ask("before_registration", config.beforeRegistration(), flow, null, email, method, client);
    }

    /** Before a sign-in issues a session for the identity. */
    public Uni<Verdict> beforeLogin(Flow flow, UUID identityId, String email, String method, ClientInfo client) {
        return ask("before_login", config.beforeLogin(), flow, identityId, email, method, client);
    }

    private Uni<Verdict> ask(String name, HooksConfig.Hook hook, Flow flow, UUID identityId, String email,
                             String method, ClientInfo client) {
        if (hook.url().isEmpty()) {
            return Uni.createFrom().item(Verdict.ALLOW);
        }
        JsonObject identity = new JsonObject().put("traits", new JsonObject().put("email", email));
        if (identityId != null) {
            identity.put("id", identityId.toString());
        }
        String body = new JsonObject().put("hook", name)
                .put("flow", new JsonObject().put("id", flow.id().toString()).put("type", flow.type().wire())
                        .put("request_url", flow.requestUrl()))
                .put("identity", identity).put("method", method)
                .put("request", new JsonObject().put("ip_address", client.ipAddress())
                        .put("user_agent", client.userAgent()))
                .encode();
        var request = this.client.postAbs(hook.url().get().strip()).timeout(hook.timeout().toMillis())
                .putHeader("content-type", "application/json");
        Optional<WebhookSigner> signer = signers.get(name);
        if (signer.isPresent()) {
            String id = UUID.randomUUID().toString();
            long timestamp = Instant.now().getEpochSecond();
            request.putHeader("webhook-id", id).putHeader("webhook-timestamp", Long.toString(timestamp))
                    .putHeader("webhook-signature", signer.get().signature(id, timestamp, body));
        }
        return request.sendBuffer(Buffer.buffer(body))
                .map(response -> verdict(name, response, hook))
                .onFailure().recoverWithItem(failure -> failed(name, hook, failure.getClass().getSimpleName()));
    }

    private Verdict verdict(String name, HttpResponse<Buffer> response, HooksConfig.Hook hook) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return Verdict.ALLOW;
        }
        if (status >= 400) {
            Verdict denied = interrupt(response.body());
            if (denied != null) {
                Log.infof("audit hook.denied hook=%s status=%d", name, status);
                return denied;
            }
        }
        return failed(name, hook, "status " + status);
    }

    /** Kratos's interrupt body, or null when the body is not one. */
    static Verdict interrupt(Buffer body) {
        if (body == null || body.length() == 0 || body.length() > MAX_BODY) {
            return null;
        }
        try {
            JsonArray groups = new JsonObject(body.toString()).getJsonArray("messages");
            if (groups == null || groups.isEmpty()) {
                return null;
            }
            List<UiText> messages = new ArrayList<>();
            UiText onAddress = null;
            for (Object group : groups) {
                JsonObject entry = (JsonObject) group;
                boolean address = "#/traits/email".equals(entry.getString("instance_ptr"));
                for (Object one : entry.getJsonArray("messages", new JsonArray())) {
                    UiText text = text((JsonObject) one);
                    if (address && onAddress == null) {
                        onAddress = text;
                    } else if (messages.size() < MAX_MESSAGES) {
                        messages.add(text);
                    }
                }
            }
            return messages.isEmpty() && onAddress == null ? null : new Verdict(false, List.copyOf(messages), onAddress);
        } catch (RuntimeException notTheShape) {
            return null;
        }
    }

    private static UiText text(JsonObject message) {
        String text = message.getString("text", "");
        if (text.length() > MAX_TEXT) {
            text = text.substring(0, MAX_TEXT);
        }
        JsonObject context = message.getJsonObject("context");
        return new UiText(message.getLong("id", 4000001L), message.getString("type", "error"), text,
                context == null ? null : context.getMap());
    }

    private static Verdict failed(String name, HooksConfig.Hook hook, String why) {
        if (hook.onFailure() == HooksConfig.OnFailure.ALLOW) {
            Log.warnf("audit hook.failed hook=%s error=%s policy=allow", name, why);
            return Verdict.ALLOW;
        }
        Log.warnf("audit hook.failed hook=%s error=%s policy=deny", name, why);
        return new Verdict(false, List.of(UiText.generic("This request cannot be completed right now. "
                + "Please try again later.")), null);
    }
}
