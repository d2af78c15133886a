package dev.iris.session;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.iris.config.IrisConfig;
import dev.iris.support.ApiException;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Sessions as signed JWTs ({@code GET /sessions/whoami?tokenize_as=<template>}, Kratos's tokenizer), signed with Nimbus
 * JOSE+JWT — no hand-written JOSE. Claims: {@code iss} (Iris's public URL), {@code sub} (the identity), {@code sid}
 * (the session), {@code aal}, {@code amr} (the methods that authenticated it), {@code email}, {@code iat}, {@code nbf},
 * {@code exp} (now + the template's TTL, never past the session's own expiry), {@code jti}, {@code aud} when the
 * template has one, and the template's static extra claims. A token stays valid until its {@code exp} whatever happens
 * to the session: callers that need instant revocation ask whoami. The keys are checked at start: a template without
 * a usable signing key, an unsupported key or a malformed claims object stops Iris from starting.
 */
@Singleton
@Startup
public class SessionTokenizer {

    /** Tokens kept for reuse at most (a full map is emptied: a cache, not a store). */
    private static final int MAX_REUSED = 10_000;

    /** The claims a template's extra claims cannot replace. */
    private static final Set<String> RESERVED = Set.of("iss", "sub", "sid", "aal", "amr", "email", "iat", "nbf",
            "exp", "jti", "aud");

    private final Map<String, IrisConfig.Session.Tokenizer.Template> templates;
    private final Map<String, JsonObject> extraClaims;
    private final JWKSet published;
    private final JWK signingKey;
    private final JWSSigner signer;
    private final String issuer;
    private final Clock clock;
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();

    @Inject
    public SessionTokenizer(IrisConfig config, Clock clock) {
        this(config.session().tokenizer(), config.publicUrl(), clock);
    }

    SessionTokenizer(IrisConfig.Session.Tokenizer tokenizer, String issuer, Clock clock) {
        this.templates = Map.copyOf(tokenizer.templates());
        this.issuer = issuer;
        this.clock = clock;
        this.extraClaims = templates.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                entry -> extraClaims(entry.getKey(), entry.getValue())));
        if (tokenizer.jwks().isEmpty()) {
            if (!templates.isEmpty()) {
                throw new IllegalStateException("iris.session.tokenizer.templates is set but "
                        + "iris.session.tokenizer.jwks (the signing keys) is not");
            }
            this.published = new JWKSet();
            this.signingKey = null;
            this.signer = null;
            return;
        }
        JWKSet keys;
        try {
            keys = JWKSet.parse(tokenizer.jwks().get());
        } catch (ParseException e) {
            throw new IllegalStateException("iris.session.tokenizer.jwks is not a JWKS document: " + e.getMessage());
        }
        if (keys.getKeys().isEmpty()) {
            throw new IllegalStateException("iris.session.tokenizer.jwks holds no key");
        }
        Set<String> kids = new HashSet<>();
        for (JWK key : keys.getKeys()) {
            checked(key, kids);
        }
        this.signingKey = keys.getKeys().get(0);
        if (!signingKey.isPrivate()) {
            throw new IllegalStateException("the first key of iris.session.tokenizer.jwks (" + signingKey.getKeyID()
                    + ") signs: it must include its private part");
        }
        try {
            this.signer = signingKey instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) signingKey);
        } catch (JOSEException | RuntimeException e) {
            throw new IllegalStateException("iris.session.tokenizer.jwks: the signing key is unusable: "
                    + e.getMessage());
        }
        this.published = keys.toPublicJWKSet();
    }

    /**
     * A key Iris can sign with and verifiers will accept: a unique {@code kid}; EC P-256 or RSA of at least 2048 bits;
     * {@code use}, when given, {@code sig}; {@code alg}, when given, the one Iris signs with (ES256 / RS256).
     */
    private static void checked(JWK key, Set<String> kids) {
        String kid = key.getKeyID();
        if (kid == null || kid.isBlank()) {
            throw new IllegalStateException("every key in iris.session.tokenizer.jwks needs a kid");
        }
        if (!kids.add(kid)) {
            throw new IllegalStateException("iris.session.tokenizer.jwks: kid " + kid + " appears twice");
        }
        JWSAlgorithm algorithm;
        if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
            algorithm = JWSAlgorithm.ES256;
        } else if (key instanceof RSAKey rsa && rsa.size() >= 2048) {
            algorithm = JWSAlgorithm.RS256;
        } else {
            throw new IllegalStateException("iris.session.tokenizer.jwks key " + kid
                    + ": only EC P-256 (ES256) and RSA of at least 2048 bits (RS256) are supported");
        }
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            throw new IllegalStateException("iris.session.tokenizer.jwks key " + kid + ": use must be sig");
        }
        if (key.getAlgorithm() != null && !algorithm.getName().equals(key.getAlgorithm().getName())) {
            throw new IllegalStateException("iris.session.tokenizer.jwks key " + kid + ": alg " + key.getAlgorithm()
                    + " is not " + algorithm + ", the algorithm Iris signs it with");
        }
    }

    /** The public keys, as {@code /.well-known/jwks.json} serves them. */
    public Map<String, Object> publicKeys() {
        return published.toJSONObject(true);
    }

    /**
     * The session {@code sessionJson} (whoami's answer) as a JWT of {@code template}; 400 for a template that is not
     * configured. Signing (ES256 / RS256: a fraction of a millisecond of CPU) runs on a worker thread, never on the
     * event loop, and a token is reused while more than half of its lifetime is left for exactly the same session
     * answer (a caller that tokenizes on every request costs one signature per half-TTL; any change of the session —
     * its AAL, methods, expiry — is a different answer and gets a new token).
     */
    public Uni<String> tokenize(String template, String sessionJson) {
        IrisConfig.Session.Tokenizer.Template chosen = templates.get(template);
        if (chosen == null) {
            return Uni.createFrom().failure(ApiException.badRequest("Unable to find tokenizer template \""
                    + template + "\"."));
        }
        String key = template + "\n" + sessionJson;
        Issued held = issued.get(key);
        long now = clock.millis();
        if (held != null && held.reuseUntil() > now) {
            return Uni.createFrom().item(held.jwt());
        }
        return Uni.createFrom().item(() -> sign(template, chosen, sessionJson))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .invoke(signed -> {
                    if (issued.size() >= MAX_REUSED) {
                        issued.values().removeIf(old -> old.reuseUntil() <= now);
                    }
                    if (issued.size() < MAX_REUSED) {
                        // Reused until half of its actual lifetime (exp may be capped by the session's expiry).
                        issued.put(key, new Issued(signed.jwt(),
                                signed.issuedAt() + (signed.expires() - signed.issuedAt()) / 2));
                    }
                })
                .map(Signed::jwt);
    }

    /** A signed token with its {@code iat} and {@code exp} (epoch ms). */
    record Signed(String jwt, long issuedAt, long expires) {
    }

    /** A token signed for one session answer, reused until {@code reuseUntil} (epoch ms). */
    private record Issued(String jwt, long reuseUntil) {
    }

    Signed sign(String template, IrisConfig.Session.Tokenizer.Template chosen, String sessionJson) {
        JsonObject session = new JsonObject(sessionJson);
        JsonObject identity = session.getJsonObject("identity", new JsonObject());
        JsonArray methods = session.getJsonArray("authentication_methods", new JsonArray());
        Instant now = clock.instant();
        Instant exp = now.plus(chosen.ttl());
        String expiresAt = session.getString("expires_at");
        if (expiresAt != null && Instant.parse(expiresAt).isBefore(exp)) {
            exp = Instant.parse(expiresAt);
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        extraClaims.get(template).forEach(entry -> claims.claim(entry.getKey(), plain(entry.getValue())));
        claims.issuer(issuer)
                .subject(identity.getString("id"))
                .claim("sid", session.getString("id"))
                .claim("aal", session.getString("authenticator_assurance_level"))
                .claim("amr", methods.stream().map(method -> ((JsonObject) method).getString("method")).toList())
                .claim("email", identity.getJsonObject("traits", new JsonObject()).getString("email"))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(exp))
                .jwtID(UUID.randomUUID().toString());
        chosen.audience().ifPresent(claims::audience);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(signingKey instanceof ECKey ? JWSAlgorithm.ES256
                : JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).type(JOSEObjectType.JWT).build(), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a session token failed", e);
        }
        return new Signed(jwt.serialize(), now.toEpochMilli(), exp.toEpochMilli());
    }

    private static JsonObject extraClaims(String name, IrisConfig.Session.Tokenizer.Template template) {
        if (template.claims().isEmpty()) {
            return new JsonObject();
        }
        JsonObject claims;
        try {
            claims = new JsonObject(template.claims().get());
        } catch (RuntimeException e) {
            throw new IllegalStateException("iris.session.tokenizer.templates." + name
                    + ".claims is not a JSON object");
        }
        List<String> reserved = claims.fieldNames().stream().filter(RESERVED::contains).toList();
        if (!reserved.isEmpty()) {
            throw new IllegalStateException("iris.session.tokenizer.templates." + name + ".claims may not set "
                    + reserved);
        }
        return claims;
    }

    /** Vert.x JSON values as the plain maps and lists Nimbus serialises. */
    private static Object plain(Object value) {
        return value instanceof JsonObject object ? object.getMap()
                : value instanceof JsonArray array ? array.getList() : value;
    }
}
