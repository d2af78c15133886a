package dev.iris.selfservice.verification;

import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.login.AddressProofResource;
import dev.iris.selfservice.login.FirstFactorEndpoints;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /self-service/verification*}: Kratos-compatible address verification by emailed code or link (Kratos's
 * verification flow, method {@code code}). Success marks the address verified; it signs nobody in
 * ({@link VerificationCompletion}).
 */
@Path("/self-service/verification")
@Tag(name = "verification")
public class VerificationResource extends AddressProofResource {

    public VerificationResource(FirstFactorEndpoints endpoints) {
        super(endpoints, FlowKind.VERIFICATION);
    }
}
