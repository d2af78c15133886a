package dev.iris.method.code;

import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a code's hash is bound to: one flow, its kind, code or link, and the address it was mailed to. Each part must
 * change the context, so a secret valid under one never matches under another (the flow-level lookup alone cannot
 * tell kinds or addresses apart within one flow).
 */
class CodeContextTest {

    @Test
    void everyPartOfTheBindingChangesTheContext() {
        Instant now = Instant.parse("2026-11-29T12:00:00Z");
        Flow login = Flow.create(FlowKind.LOGIN, FlowType.API, now, now.plusSeconds(600), "u", null, false);
        Flow sameIdAsRecovery = new Flow(login.id(), FlowKind.RECOVERY, login.type(), login.state(), null,
                login.issuedAt(), login.expiresAt(), login.updatedAt(), "u", null, "aal1", false, null, null, null,
                null, null, null, null);
        List<String> contexts = List.of(
                OneTimeCodes.context(login, "code", "a@example.com"),
                OneTimeCodes.context(login, "link", "a@example.com"),
                OneTimeCodes.context(login, "code", "b@example.com"),
                OneTimeCodes.context(sameIdAsRecovery, "code", "a@example.com"),
                OneTimeCodes.context(Flow.create(FlowKind.LOGIN, FlowType.API, now, now, "u", null, false), "code",
                        "a@example.com"));
        Set<String> distinct = contexts.stream().collect(Collectors.toSet());
        assertThat(distinct).hasSize(contexts.size());
    }
}
