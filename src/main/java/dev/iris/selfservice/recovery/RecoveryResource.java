package dev.iris.selfservice.recovery;

import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.login.AddressProofResource;
import dev.iris.selfservice.login.FirstFactorEndpoints;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /self-service/recovery*}: Kratos-compatible account recovery by emailed code or link, for a user who lost
 * access (Kratos's recovery flow, method {@code code}). Success signs in and opens a settings flow
 * ({@link RecoveryCompletion}).
 */
@Path("/self-service/recovery")
@Tag(name = "recovery")
public class RecoveryResource extends AddressProofResource {

    public RecoveryResource(FirstFactorEndpoints endpoints) {
        super(endpoints, FlowKind.RECOVERY);
    }
}
