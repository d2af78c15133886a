package dev.iris.session;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.iris.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code GET /sessions/whoami?tokenize_as=}: the session as a JWT signed with the configured key, verified here against
 * the published {@code /.well-known/jwks.json}; an unknown template is a Kratos-shaped 400.
 */
@QuarkusTest
@TestProfile(TokenizeAsTest.WithTemplates.class)
class TokenizeAsTest {

    public static class WithTemplates implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                ECKey key = new ECKeyGenerator(Curve.P_256).keyID("test-key").generate();
                return Map.of("iris.session.tokenizer.jwks", new JWKSet(key).toString(false),
                        "iris.session.tokenizer.templates.api.ttl", "2m",
                        "iris.session.tokenizer.templates.api.audience", "billing",
                        "iris.session.tokenizer.templates.api.claims", "{\"tenant\":\"acme\"}");
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Api api = Api.local();

    @Test
    void aSessionBecomesAJwtThatVerifiesAgainstThePublishedKeys() throws Exception {
        String email = Api.uniqueEmail();
        String identity = api.createIdentity(email);
        String token = api.signIn(email);
        var session = api.request().header("X-Session-Token", token).queryParam("tokenize_as", "api")
                .get("/sessions/whoami").then().statusCode(200)
                .header("X-Kratos-Authenticated-Identity-Id", identity).extract().jsonPath();
        SignedJWT jwt = SignedJWT.parse(session.getString("tokenized"));

        JWKSet published = JWKSet.parse(api.request().get("/.well-known/jwks.json").then().statusCode(200)
                .extract().asString());
        assertThat(published.getKeys()).hasSize(1);
        assertThat(published.getKeys().get(0).isPrivate()).isFalse();
        ECKey key = (ECKey) published.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();

        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(identity);
        assertThat(claims.getStringClaim("sid")).isEqualTo(session.getString("id"));
        assertThat(claims.getStringClaim("aal")).isEqualTo("aal1");
        assertThat(claims.getStringListClaim("amr")).isEqualTo(List.of("code"));
        assertThat(claims.getStringClaim("email")).isEqualTo(email);
        assertThat(claims.getAudience()).isEqualTo(List.of("billing"));
        assertThat(claims.getStringClaim("tenant")).isEqualTo("acme");
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(120_000);
        assertThat(claims.getIssuer()).isEqualTo("http://localhost:8080");

        api.request().header("X-Session-Token", token).get("/sessions/whoami").then().statusCode(200)
                .body("tokenized", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void anUnknownTemplateIsA400AndASignedOutCallerStillA401() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        api.request().header("X-Session-Token", token).queryParam("tokenize_as", "nope").get("/sessions/whoami")
                .then().statusCode(400).body("error.code", equalTo(400))
                .body("error.reason", containsString("\"nope\""));
        api.request().queryParam("tokenize_as", "api").get("/sessions/whoami").then().statusCode(401)
                .body("error.id", equalTo("session_inactive"));
    }
}
