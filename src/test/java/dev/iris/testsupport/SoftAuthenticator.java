package dev.iris.testsupport;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.extension.authenticator.AuthenticationExtensionAuthenticatorOutput;
import com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput;
import com.webauthn4j.util.Base64UrlUtil;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;

/**
 * A software passkey for tests: one P-256 key pair and credential id, answering {@code navigator.credentials.create}
 * and {@code .get} the way a platform authenticator does — the JSON {@code webauthn.js} posts. Its model objects and
 * CBOR come from webauthn4j; knobs let a test break one thing at a time (origin, rp id, user verification, counter).
 */
public final class SoftAuthenticator {

    private static final ObjectConverter CONVERTER = new ObjectConverter();

    private final KeyPair keys;
    private final byte[] credentialId = new byte[32];
    private long counter;
    private byte[] userHandle;

    public SoftAuthenticator() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            this.keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        new SecureRandom().nextBytes(credentialId);
    }

    public byte[] credentialId() {
        return credentialId.clone();
    }

    /** The next assertion reports this counter (a clone would report an old one). */
    public void counter(long value) {
        this.counter = value;
    }

    /** The registration response for {@code options} (a passkey_create_data value) from {@code origin}. */
    public String create(String options, String origin, String rpId, boolean userVerified) {
        JsonObject publicKey = new JsonObject(options).getJsonObject("publicKey");
        userHandle = Base64UrlUtil.decode(publicKey.getJsonObject("user").getString("id"));
        String clientData = clientData("webauthn.create", publicKey.getString("challenge"), origin);
        byte flags = (byte) (AuthenticatorData.BIT_UP | AuthenticatorData.BIT_AT
                | (userVerified ? AuthenticatorData.BIT_UV : 0));
        AuthenticatorData<RegistrationExtensionAuthenticatorOutput> data = new AuthenticatorData<>(sha256(rpId), flags,
                counter, new AttestedCredentialData(AAGUID.ZERO, credentialId,
                EC2COSEKey.create((ECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.ES256)));
        byte[] attestation = new AttestationObjectConverter(CONVERTER)
                .convertToBytes(new AttestationObject(data, new NoneAttestationStatement()));
        return new JsonObject().put("id", Base64UrlUtil.encodeToString(credentialId))
                .put("rawId", Base64UrlUtil.encodeToString(credentialId)).put("type", "public-key")
                .put("response", new JsonObject()
                        .put("attestationObject", Base64UrlUtil.encodeToString(attestation))
                        .put("clientDataJSON", Base64UrlUtil.encodeToString(clientData.getBytes(StandardCharsets.UTF_8))))
                .put("clientExtensionResults", new JsonObject()).encode();
    }

    /** The authentication response for {@code options} (a passkey_challenge value) from {@code origin}. */
    public String get(String options, String origin, String rpId, boolean userVerified) {
        JsonObject publicKey = new JsonObject(options).getJsonObject("publicKey");
        byte[] clientData = clientData("webauthn.get", publicKey.getString("challenge"), origin)
                .getBytes(StandardCharsets.UTF_8);
        byte flags = (byte) (AuthenticatorData.BIT_UP | (userVerified ? AuthenticatorData.BIT_UV : 0));
        byte[] authenticatorData = new AuthenticatorDataConverter(CONVERTER).convert(
                new AuthenticatorData<AuthenticationExtensionAuthenticatorOutput>(sha256(rpId), flags, counter));
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(keys.getPrivate());
            signature.update(authenticatorData);
            signature.update(sha256(clientData));
            return new JsonObject().put("id", Base64UrlUtil.encodeToString(credentialId))
                    .put("rawId", Base64UrlUtil.encodeToString(credentialId)).put("type", "public-key")
                    .put("response", new JsonObject()
                            .put("authenticatorData", Base64UrlUtil.encodeToString(authenticatorData))
                            .put("clientDataJSON", Base64UrlUtil.encodeToString(clientData))
                            .put("signature", Base64UrlUtil.encodeToString(signature.sign()))
                            .put("userHandle", userHandle == null ? "" : Base64UrlUtil.encodeToString(userHandle)))
                    .put("clientExtensionResults", new JsonObject()).encode();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String clientData(String type, String challenge, String origin) {
        return new JsonObject().put("type", type).put("challenge", challenge).put("origin", origin)
                .put("crossOrigin", false).encode();
    }

    private static byte[] sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
