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

    private final NearSessionCache near = new NearSessionCache(true, Duration.ofMinutes(1), 10, Duration.ofMinutes(1),
            new SimpleMeterRegistry());

    @Test
    void servesOnlyWhileOnlineAndEveryChangeOfStateEmptiesIt() {
        near.keep("k", ENTRY, near.generation());
        assertThat(near.get("k")).as("offline: nothing kept or served").isNull();
        near.online(true);
        near.proven(System.nanoTime());
        near.keep("k", ENTRY, near.generation());
        assertThat(near.get("k").entry()).isSameAs(ENTRY.entry());
        near.online(false);
        assertThat(near.get("k")).isNull();
        near.online(true);
        near.proven(System.nanoTime());
        assertThat(near.get("k")).as("back online, empty").isNull();
    }

    /** The fence: nothing is served unless a self-ping sent within the fence has come back. */
    @Test
    void nothingIsServedWithoutARecentProofOfTheChannel() throws Exception {
        NearSessionCache fenced = new NearSessionCache(true, Duration.ofMinutes(1), 10, Duration.ofMillis(20),
                new SimpleMeterRegistry());
        fenced.online(true);
        fenced.keep("k", ENTRY, fenced.generation());
        assertThat(fenced.get("k")).as("online, but no ping has come back yet").isNull();
        fenced.proven(System.nanoTime());
        fenced.keep("k", ENTRY, fenced.generation());
        assertThat(fenced.get("k").entry()).isSameAs(ENTRY.entry());
        assertThat(fenced.serving()).isTrue();
        Thread.sleep(40); // no newer ping came back within the fence
        assertThat(fenced.serving()).isFalse();
        assertThat(fenced.get("k")).isNull();
        fenced.proven(System.nanoTime());
        assertThat(fenced.get("k")).as("proven again, the entry (still fresh) serves").isNotNull();
    }

    @Test
    void aReadOvertakenByAnInvalidationIsNotKept() {
        near.online(true);
        near.proven(System.nanoTime());
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
        near.proven(System.nanoTime());
        near.keep("absent", SessionCache.Lookup.ABSENT, near.generation());
        assertThat(near.get("absent")).isNull();
        SessionCache.Lookup revoked = new SessionCache.Lookup(null, true, SessionCache.TOMBSTONE);
        near.keep("revoked", revoked, near.generation());
        assertThat(near.get("revoked")).isSameAs(revoked);

        NearSessionCache brief = new NearSessionCache(true, Duration.ofMillis(1), 10, Duration.ofMinutes(1), new SimpleMeterRegistry());
        brief.online(true);
        brief.proven(System.nanoTime());
        brief.keep("k", ENTRY, brief.generation());
        Thread.sleep(5);
        assertThat(brief.get("k")).isNull();

        NearSessionCache small = new NearSessionCache(true, Duration.ofMillis(1), 2, Duration.ofMinutes(1), new SimpleMeterRegistry());
        small.online(true);
        small.proven(System.nanoTime());
        small.keep("a", ENTRY, small.generation());
        small.keep("b", ENTRY, small.generation());
        Thread.sleep(5);
        small.keep("c", ENTRY, small.generation());
        assertThat(small.size()).as("full: nothing more kept until a purge").isEqualTo(2);
        small.purgeExpired();
        small.keep("c", ENTRY, small.generation());
        assertThat(small.size()).as("the purge made room").isEqualTo(1);

        NearSessionCache off = new NearSessionCache(false, Duration.ofMinutes(1), 10, Duration.ofMinutes(1), new SimpleMeterRegistry());
        off.online(true);
        off.proven(System.nanoTime());
        off.keep("k", ENTRY, off.generation());
        assertThat(off.serving()).isFalse();
        assertThat(off.get("k")).isNull();
    }
}
