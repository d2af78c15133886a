package dev.iris.identity;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The Kratos identity JSON (wire record, never the entity). */
public record IdentityView(UUID id, String schemaId, String state, Map<String, String> traits,
                           List<VerifiableAddress> verifiableAddresses, Instant createdAt, Instant updatedAt) {

    public record VerifiableAddress(UUID id, String value, boolean verified, Instant verifiedAt, String via,
                                    String status, Instant createdAt, Instant updatedAt) {
    }

    public static IdentityView of(Identity identity) {
        VerifiableAddress address = new VerifiableAddress(identity.addressId, identity.email, identity.emailVerified,
                identity.verifiedAt, "email", identity.emailVerified ? "completed" : "pending",
                identity.createdAt, identity.updatedAt);
        Map<String, String> traits = new LinkedHashMap<>();
        traits.put("email", identity.email);
        if (identity.locale != null) {
            traits.put("locale", identity.locale);
        }
        return new IdentityView(identity.id, "default", identity.state, traits, List.of(address), identity.createdAt,
                identity.updatedAt);
    }
}
