package dev.iris.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The session calls the multi-instance revocation ITs make, over one plain HTTP client (no RestAssured: many
 * thousands of calls, status only): sign-ins spread over the instances, whoami and api logout.
 */
public final class SessionCalls {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code n} new identities signed in by code, alternately on each of {@code apps}, eight at a time. */
    public List<String> signIns(List<PackagedApp> apps, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Api api = apps.get(i % apps.size()).api();
                futures.add(pool.submit(() -> {
                    String email = Api.uniqueEmail();
                    api.createIdentity(email);
                    return api.signIn(email);
                }));
            }
            List<String> tokens = new ArrayList<>();
            for (Future<String> f : futures) {
                tokens.add(f.get());
            }
            return tokens;
        } finally {
            pool.shutdownNow();
        }
    }

    public int whoami(PackagedApp app, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/sessions/whoami"))
                .header("X-Session-Token", token).timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    public int logout(PackagedApp app, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/self-service/logout/api"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"session_token\":\"" + token + "\"}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** {@code app}'s Prometheus metrics. */
    public String metrics(PackagedApp app) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
