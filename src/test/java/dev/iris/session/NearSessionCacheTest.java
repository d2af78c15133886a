package dev.iris.session;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache's safety rules, without timing: nothing is served while the channel is not known to work, going
 * online or offline empties it, and a Redis read that an invalidation overtook is never kept.
 */
class NearSessionCacheTest {

    private static final SessionCache.Lookup ENTRY = new SessionCache.Lookup(new SessionCache.Entry(
            Instant.parse("2100-01-01T00:00:00Z"), UUID.randomUUID(), UUID.randomUUID(), false, "{}"), false, "x");

    private final NearSessionCache near = new NearSessionCache(true, Duration.ofMinutes(1), 10,
            new SimpleMeterRegistry());

    @Test
    void servesOnlyWhileOnlineAndEveryChangeOfStateEmptiesIt() {
        near.keep("k", ENTRY, near.generation());
        assertThat(near.get("k")).as("offline: nothing kept or served").isNull();
        near.online(true);
        near.keep("k", ENTRY, near.generation());
        assertThat(near.get("k")).isSameAs(ENTRY);
        near.online(false);
        assertThat(near.get("k")).isNull();
        near.online(true);
        assertThat(near.get("k")).as("back online, empty").isNull();
    }

    @Test
    void aReadOvertakenByAnInvalidationIsNotKept() {
        near.online(true);
        long readAt = near.generation();
        near.drop("other"); // any invalidation while the read is in flight
        near.keep("k", ENTRY, readAt);
        assertThat(near.get("k")).isNull();
        near.keep("k", ENTRY, near.generation());
        near.drop("k");
        assertThat(near.get("k")).isNull();
    }

    @Test
    void onlyEntriesAndTombstonesAreKeptAndNeverPastTheTtlOrWhenDisabled() throws Exception {
        near.online(true);
        near.keep("absent", SessionCache.Lookup.ABSENT, near.generation());
        assertThat(near.get("absent")).isNull();
        SessionCache.Lookup revoked = new SessionCache.Lookup(null, true, SessionCache.TOMBSTONE);
        near.keep("revoked", revoked, near.generation());
        assertThat(near.get("revoked")).isSameAs(revoked);

        NearSessionCache brief = new NearSessionCache(true, Duration.ofMillis(1), 10, new SimpleMeterRegistry());
        brief.online(true);
        brief.keep("k", ENTRY, brief.generation());
        Thread.sleep(5);
        assertThat(brief.get("k")).isNull();

        NearSessionCache off = new NearSessionCache(false, Duration.ofMinutes(1), 10, new SimpleMeterRegistry());
        off.online(true);
        off.keep("k", ENTRY, off.generation());
        assertThat(off.serving()).isFalse();
        assertThat(off.get("k")).isNull();
    }
}
