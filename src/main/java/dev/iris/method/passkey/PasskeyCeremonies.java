package dev.iris.method.passkey;

import dev.iris.credential.WebAuthnStore;
import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecord;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.util.Base64UrlUtil;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import dev.iris.config.IrisConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The WebAuthn ceremonies, verified by webauthn4j (never hand-written CBOR, COSE or signature checks): the options
 * a browser passes to {@code navigator.credentials.create/get} (Kratos's JSON shapes, base64url without padding),
 * and the verification of what it sends back against the configured relying party id and origins, the flow's
 * challenge, and user presence — for passkeys (first-factor use) <em>and</em> user verification. Shared by the
 * {@code passkey} and {@code webauthn} (security key) methods, as Kratos's strategies share {@code x/webauthnx}.
 */
@Singleton
public class PasskeyCeremonies {

    /** How long a browser waits for the authenticator (Kratos's default). */
    static final int TIMEOUT_MILLIS = 300_000;

    /** ES256, RS256, EdDSA: what platform authenticators and security keys use. */
    private static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256),
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.RS256),
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.EdDSA));

    private final WebAuthnManager manager = WebAuthnManager.createNonStrictWebAuthnManager();
    private final ObjectConverter converter = new ObjectConverter();
    private final String rpId;
    private final String rpName;
    private final Set<Origin> origins;

    public PasskeyCeremonies(IrisConfig config) {
        this.rpId = config.webauthn().rpIdFor(config.publicUrl());
        this.rpName = config.webauthn().rpDisplayName().orElse(config.mail().appName());
        this.origins = config.webauthn().originsFor(config.publicUrl(), config.uiBaseUrl()).stream()
                .map(Origin::new).collect(Collectors.toUnmodifiableSet());
    }

    /** The reason of a refusal whose signature was right but whose counter went back: a cloned authenticator? */
    public static final String CLONE_SUSPECTED = "signature counter went back (a cloned authenticator?)";

    /** Why a ceremony was refused; the message is for logs, never for the caller. */
    public static final class Refused extends Exception {
        Refused(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    /** A verified new credential, ready to store. */
    public record NewCredential(byte[] credentialId, byte[] publicKey, UUID aaguid, long signCount, String transports,
                                boolean userVerified, boolean backupEligible, boolean backupState) {
    }

    /** A verified assertion: the counter and backup state the authenticator reported. */
    public record Assertion(long signCount, boolean backupState) {
    }

    /** {@code {"publicKey": {...}}} for {@code navigator.credentials.get}: discoverable, user verification required. */
    public String requestOptions(byte[] challenge) {
        return new JsonObject().put("publicKey", new JsonObject()
                .put("challenge", Base64UrlUtil.encodeToString(challenge))
                .put("timeout", TIMEOUT_MILLIS)
                .put("rpId", rpId)
                .put("userVerification", "required")).encode();
    }

    /**
     * {@code {"publicKey": {...}}} for a second factor: one of {@code allowed} (the identity's security keys), touched
     * (user presence); user verification is not asked for, the first factor was the other one.
     */
    public String secondFactorOptions(byte[] challenge, List<byte[]> allowed) {
        JsonArray allow = new JsonArray();
        allowed.forEach(id -> allow.add(new JsonObject().put("type", "public-key")
                .put("id", Base64UrlUtil.encodeToString(id))));
        return new JsonObject().put("publicKey", new JsonObject()
                .put("challenge", Base64UrlUtil.encodeToString(challenge))
                .put("timeout", TIMEOUT_MILLIS)
                .put("rpId", rpId)
                .put("allowCredentials", allow)
                .put("userVerification", "discouraged")).encode();
    }

    /**
     * {@code {"publicKey": {...}}} for {@code navigator.credentials.create}, excluding the identity's existing
     * credentials, no attestation: a passkey is a discoverable credential (resident key) with user verification; a
     * security key ({@code passkey} false) need be neither.
     */
    public String creationOptions(byte[] challenge, byte[] userHandle, String userName, List<byte[]> existing,
                                  boolean passkey) {
        JsonArray params = new JsonArray();
        ALGORITHMS.forEach(p -> params.add(new JsonObject().put("type", "public-key").put("alg", p.getAlg().getValue())));
        JsonArray exclude = new JsonArray();
        existing.forEach(id -> exclude.add(new JsonObject().put("type", "public-key")
                .put("id", Base64UrlUtil.encodeToString(id))));
        return new JsonObject().put("publicKey", new JsonObject()
                .put("rp", new JsonObject().put("name", rpName).put("id", rpId))
                .put("user", new JsonObject().put("name", userName).put("displayName", userName)
                        .put("id", Base64UrlUtil.encodeToString(userHandle)))
                .put("challenge", Base64UrlUtil.encodeToString(challenge))
                .put("pubKeyCredParams", params)
                .put("timeout", TIMEOUT_MILLIS)
                .put("excludeCredentials", exclude)
                .put("authenticatorSelection", passkey
                        ? new JsonObject().put("requireResidentKey", true).put("residentKey", "required")
                        .put("userVerification", "required")
                        : new JsonObject().put("requireResidentKey", false).put("residentKey", "discouraged")
                        .put("userVerification", "discouraged"))
                .put("attestation", "none")).encode();
    }

    /**
     * Verifies a registration response (the JSON {@code webauthn.js} posts) against {@code challenge}; user
     * verification is required for a passkey.
     */
    public NewCredential register(String json, byte[] challenge, boolean passkey) throws Refused {
        try {
            RegistrationData data = manager.parseRegistrationResponseJSON(json);
            manager.verify(data, new RegistrationParameters(server(challenge), ALGORITHMS, passkey, true));
            AuthenticatorData<?> authenticator = data.getAttestationObject().getAuthenticatorData();
            AttestedCredentialData credential = authenticator.getAttestedCredentialData();
            String transports = data.getTransports() == null ? "" : data.getTransports().stream()
                    .map(AuthenticatorTransport::getValue).sorted().collect(Collectors.joining(","));
            return new NewCredential(credential.getCredentialId(),
                    converter.getCborConverter().writeValueAsBytes(credential.getCOSEKey()),
                    credential.getAaguid().getValue(), authenticator.getSignCount(), transports,
                    authenticator.isFlagUV(), authenticator.isFlagBE(), authenticator.isFlagBS());
        } catch (RuntimeException e) {
            throw new Refused("registration refused: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Parses an authentication response; the caller finds the credential by its id, then {@link #verify}. */
    public AuthenticationData parseAssertion(String json) throws Refused {
        try {
            AuthenticationData data = manager.parseAuthenticationResponseJSON(json);
            if (data.getCredentialId() == null || data.getAuthenticatorData() == null) {
                throw new Refused("assertion incomplete", null);
            }
            return data;
        } catch (RuntimeException e) {
            // Whatever the parser trips over in a malformed document (webauthn4j throws even NullPointerException for
            // a missing "response"), the answer is "unreadable", never a 500.
            throw new Refused("assertion unreadable: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Verifies an assertion of {@code stored} against {@code challenge}: origin, rp id hash, challenge, user presence,
     * user verification for a passkey, signature, and a counter that moves forward (webauthn4j refuses a regression).
     */
    public Assertion verify(AuthenticationData data, byte[] challenge, WebAuthnStore.Credential stored)
            throws Refused {
        try {
            COSEKey key = converter.getCborConverter().readValue(stored.publicKey(), COSEKey.class);
            CredentialRecord record = new CredentialRecordImpl(new NoneAttestationStatement(), stored.uvInitialized(),
                    stored.backupEligible(), stored.backupState(), stored.signCount(),
                    new AttestedCredentialData(new AAGUID(stored.aaguid()), stored.credentialId(), key), null, null,
                    null, null);
            manager.verify(data, new AuthenticationParameters(server(challenge), record,
                    List.of(stored.credentialId()), stored.kind() == WebAuthnStore.Kind.PASSKEY, true));
            return new Assertion(data.getAuthenticatorData().getSignCount(), data.getAuthenticatorData().isFlagBS());
        } catch (MaliciousCounterValueException e) {
            throw new Refused(CLONE_SUSPECTED, e);
        } catch (RuntimeException e) {
            throw new Refused("assertion refused: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private ServerProperty server(byte[] challenge) {
        return new ServerProperty(origins, rpId, new DefaultChallenge(challenge), null);
    }
}
