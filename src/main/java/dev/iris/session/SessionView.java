package dev.iris.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.iris.identity.IdentityView;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The Kratos session JSON. {@code identity} is left out where AAL2 is still missing (later). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionView(UUID id, boolean active, Instant expiresAt, Instant authenticatedAt, Instant issuedAt,
                          String authenticatorAssuranceLevel, List<AuthMethod> authenticationMethods,
                          IdentityView identity, List<Device> devices) {

    public record AuthMethod(String method, String aal, Instant completedAt) {
    }

    public record Device(UUID id, String ipAddress, String userAgent) {
    }
}
