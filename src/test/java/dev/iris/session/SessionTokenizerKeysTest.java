package dev.iris.session;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.iris.config.IrisConfig;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tokenizer's keys: rotation (a token signed by the old key verifies against the published set while the old key
 * is still listed — the overlap — and not once it is gone) and the checks that stop Iris at start.
 */
class SessionTokenizerKeysTest {

    private static final String SESSION = """
            {"id":"7e0c7d1c-4cd8-4bd4-9a2e-1f5e3b1e0d9a","authenticator_assurance_level":"aal1",
             "expires_at":"2100-01-01T00:00:00Z","authentication_methods":[{"method":"code"}],
             "identity":{"id":"0b7c6f3e-8f43-4d7a-9a57-3c2f8f0f5f11","traits":{"email":"a@example.com"}}}""";

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void aRotatedKeyVerifiesDuringTheOverlapAndNotAfter() throws Exception {
        ECKey old = new ECKeyGenerator(Curve.P_256).keyID("old").generate();
        ECKey fresh = new ECKeyGenerator(Curve.P_256).keyID("new").generate();
        String token = tokenizer(new JWKSet(old)).tokenize("api", SESSION).await().indefinitely();

        SessionTokenizer overlap = tokenizer(new JWKSet(List.of(fresh, old)));
        assertThat(verifies(token, overlap)).as("old key still published").isTrue();
        assertThat(SignedJWT.parse(overlap.tokenize("api", SESSION).await().indefinitely()).getHeader().getKeyID())
                .as("the first key signs").isEqualTo("new");
        assertThat(verifies(token, tokenizer(new JWKSet(fresh)))).as("old key gone").isFalse();
        assertThat(JWKSet.parse(overlap.publicKeys()).getKeys()).hasSize(2).noneMatch(each -> each.isPrivate());
    }

    /** A token is reused for the same session answer while more than half its lifetime is left, and only then. */
    @Test
    void aTokenIsReusedForTheSameAnswerUntilHalfItsLifetime() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(
                Instant.parse("2026-11-29T12:00:00Z"));
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        SessionTokenizer tokenizer = new SessionTokenizer(config(Optional.of(new JWKSet(key).toString(false)), null),
                "https://iris.example", moving);
        String first = tokenizer.tokenize("api", SESSION).await().indefinitely();
        assertThat(tokenizer.tokenize("api", SESSION).await().indefinitely()).isEqualTo(first);
        assertThat(tokenizer.tokenize("api", SESSION.replace("aal1", "aal2")).await().indefinitely())
                .as("another answer (the session was raised)").isNotEqualTo(first);
        now.set(now.get().plusSeconds(31)); // past half of the 1-minute ttl
        assertThat(tokenizer.tokenize("api", SESSION).await().indefinitely()).isNotEqualTo(first);
    }

    @Test
    void badKeysAndTemplatesStopIrisAtStart() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
        assertThatThrownBy(() -> new SessionTokenizer(config(Optional.empty(), null), "https://iris.example", clock))
                .hasMessageContaining("iris.session.tokenizer.jwks");
        assertThatThrownBy(() -> tokenizer(new JWKSet(key.toPublicJWK())))
                .hasMessageContaining("private part");
        assertThatThrownBy(() -> tokenizer(new JWKSet(new ECKeyGenerator(Curve.P_384).keyID("p").generate())))
                .hasMessageContaining("P-256");
        assertThatThrownBy(() -> new SessionTokenizer(config(Optional.of(new JWKSet(key).toString(false)),
                "{\"sub\":\"someone else\"}"), "https://iris.example", clock)).hasMessageContaining("sub");
        assertThatThrownBy(() -> new SessionTokenizer(config(Optional.of("not json"), null), "https://iris.example",
                clock)).hasMessageContaining("JWKS");
        assertThatThrownBy(() -> tokenizer(new JWKSet(List.of(key, new ECKeyGenerator(Curve.P_256).keyID("k")
                .generate())))).hasMessageContaining("twice");
        assertThatThrownBy(() -> tokenizer(new JWKSet(new ECKeyGenerator(Curve.P_256).keyID("e")
                .keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION).generate()))).hasMessageContaining("use must be sig");
        assertThatThrownBy(() -> tokenizer(new JWKSet(new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("r")
                .algorithm(com.nimbusds.jose.JWSAlgorithm.RS512).generate()))).hasMessageContaining("RS256");
        assertThatThrownBy(() -> tokenizer(new JWKSet(new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(1024, true)
                .keyID("weak").generate()))).hasMessageContaining("2048");
        assertThat(tokenizer(new JWKSet(new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("rsa")
                .generate())).tokenize("api", SESSION).await().indefinitely()).as("RS256 works").isNotBlank();
    }

    private static boolean verifies(String token, SessionTokenizer published) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWKSet keys = JWKSet.parse(published.publicKeys());
        ECKey key = (ECKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        try {
            return key != null && jwt.verify(new ECDSAVerifier(key));
        } catch (JOSEException e) {
            return false;
        }
    }

    private SessionTokenizer tokenizer(JWKSet keys) {
        return new SessionTokenizer(config(Optional.of(keys.toString(false)), null), "https://iris.example", clock);
    }

    private static IrisConfig.Session.Tokenizer config(Optional<String> jwks, String claims) {
        IrisConfig.Session.Tokenizer.Template template = new IrisConfig.Session.Tokenizer.Template() {
            @Override
            public Duration ttl() {
                return Duration.ofMinutes(1);
            }

            @Override
            public Optional<List<String>> audience() {
                return Optional.empty();
            }

            @Override
            public Optional<String> claims() {
                return Optional.ofNullable(claims);
            }
        };
        return new IrisConfig.Session.Tokenizer() {
            @Override
            public Map<String, Template> templates() {
                return Map.of("api", template);
            }

            @Override
            public Optional<String> jwks() {
                return jwks;
            }
        };
    }
}
