import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verify an Iris session token locally with Nimbus JOSE+JWT — no call to Iris per check — and measure how many
 * verifications one thread does per second. A single-file program:
 *
 * <pre>
 * java -cp nimbus-jose-jwt-10.10.jar Verify.java http://localhost:8080 &lt;session token&gt; [template]
 * </pre>
 *
 * Fetches the session as a JWT ({@code GET /sessions/whoami?tokenize_as=<template>}, default {@code api}) and the keys
 * ({@code /.well-known/jwks.json}, once, as a caller would cache them), verifies signature, issuer, {@code exp} and
 * {@code nbf}, prints the claims, then verifies the same token for 5 seconds and prints verifications per second.
 */
public class Verify {

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java -cp nimbus-jose-jwt.jar Verify.java <iris base url> <session token> "
                    + "[template]");
            System.exit(2);
        }
        String base = args[0];
        String template = args.length > 2 ? args[2] : "api";
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> session = http.send(HttpRequest.newBuilder(URI.create(base
                + "/sessions/whoami?tokenize_as=" + template)).header("X-Session-Token", args[1]).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher tokenized = Pattern.compile("\"tokenized\":\"([^\"]+)\"").matcher(session.body());
        if (session.statusCode() != 200 || !tokenized.find()) {
            System.err.println("whoami answered " + session.statusCode() + ": " + session.body());
            System.exit(1);
        }
        String jwt = tokenized.group(1);
        JWKSet keys = JWKSet.parse(http.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/jwks.json"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());

        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256),
                new ImmutableJWKSet<>(keys)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(base).build(), Set.of("sub", "sid", "exp")));
        JWTClaimsSet claims = processor.process(jwt, null);
        System.out.println("verified: " + claims.toJSONObject());

        int seconds = 5;
        // A second of warm-up for the JIT, then the measured loop.
        long warm = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < warm) {
            processor.process(jwt, null);
        }
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        long verified = 0;
        while (System.nanoTime() < until) {
            processor.process(jwt, null);
            verified++;
        }
        System.out.println(verified / seconds + " verifications per second on one thread (Nimbus JOSE+JWT)");
    }
}
