package dev.iris.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowType;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StoredJsonTest {

    /** Like the application's mapper: API bodies carry ISO-8601 times. */
    private final ObjectMapper api = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final StoredJson stored = new StoredJson(api);
    private final Instant now = Instant.parse("2026-11-25T18:01:02.123456789Z");
    private final Flow flow = Flow.create(FlowKind.LOGIN, FlowType.API, now, now.plusSeconds(3600),
            "http://iris/self-service/login/api", null, false);

    @Test
    void writesInstantsAsEpochSecondsAndReadsThemBackExactly() throws Exception {
        String json = stored.write(flow);
        assertThat(json).contains("1795629662.123456789").doesNotContain("2026-11-25T");
        assertThat(stored.read(json, Flow.class)).isEqualTo(flow);
    }

    @Test
    void readsFlowsThatAnOlderInstanceWroteWithIsoTimes() throws Exception {
        String older = api.writeValueAsString(flow);
        assertThat(older).contains("2026-11-25T18:01:02.123456789Z");
        assertThat(stored.read(older, Flow.class)).isEqualTo(flow);
    }

    @Test
    void leavesTheApiMapperAsItWas() throws Exception {
        stored.write(flow);
        assertThat(api.writeValueAsString(now)).isEqualTo("\"2026-11-25T18:01:02.123456789Z\"");
    }
}
