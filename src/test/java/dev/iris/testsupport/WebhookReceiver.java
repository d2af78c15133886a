package dev.iris.testsupport;

import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A webhook receiver for tests: an HTTP server on its own port that records every request and answers with the
 * status the test sets (503 while "down"). It verifies signatures itself, the Standard Webhooks way, with the JDK's
 * HMAC — independently of Iris's signer.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Received(String path, String id, String timestamp, String signature, String body, int answered) {
    }

    /** What the receiver answers to a request: a status, a JSON body (or null) and a delay before answering. */
    public record Answer(int status, String body, long delayMillis) {
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private volatile int status = 204;
    private volatile java.util.function.Function<String, Answer> responder;

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            java.util.function.Function<String, Answer> custom = responder;
            Answer answer = custom == null ? new Answer(status, null, 0) : custom.apply(body);
            synchronized (received) {
                received.add(new Received(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("webhook-id"),
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        exchange.getRequestHeaders().getFirst("webhook-signature"), body, answer.status()));
            }
            if (answer.delayMillis() > 0) {
                Smtp.sleep(answer.delayMillis());
            }
            try {
                if (answer.body() == null) {
                    exchange.sendResponseHeaders(answer.status(), -1);
                } else {
                    byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("content-type", "application/json");
                    exchange.sendResponseHeaders(answer.status(), out.length);
                    exchange.getResponseBody().write(out);
                }
            } catch (IOException gone) {
                // the caller stopped waiting (a timeout under test)
            }
            exchange.close();
        });
        server.start();
    }

    /** Answers each request by its body (a pre-hook under test); null: the plain status of {@link #answer}. */
    public void respondWith(java.util.function.Function<String, Answer> responder) {
        this.responder = responder;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** The status every following request gets (503: the receiver is "down"). */
    public void answer(int status) {
        this.status = status;
    }

    public List<Received> all() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Waits until a request matching {@code which} arrived; returns it. */
    public Received await(Predicate<Received> which, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Received r : all()) {
                if (which.test(r)) {
                    return r;
                }
            }
            Smtp.sleep(20);
        }
        throw new AssertionError("no matching webhook within " + timeout + "; received: " + all());
    }

    /** True when one of the request's v1 signatures is HMAC-SHA256(key of secret, id.timestamp.body). */
    public static boolean signedWith(Received r, String secret) {
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] expected = mac.doFinal((r.id() + "." + r.timestamp() + "." + r.body())
                    .getBytes(StandardCharsets.UTF_8));
            for (String part : r.signature().split(" ")) {
                if (part.startsWith("v1,") && MessageDigest.isEqual(expected,
                        Base64.getDecoder().decode(part.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Standard Webhooks body: {"type": …, "timestamp": …, "data": {…}}. */
    public static Map<String, Object> parse(Received r) {
        return new io.vertx.core.json.JsonObject(r.body()).getMap();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
