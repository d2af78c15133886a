package dev.iris.session;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a revocation may answer before its fence: every member has acknowledged — a receiver count alone is not
 * enough (a member whose subscription was just cut is no receiver, yet serves) — and at least as many as received it
 * (a subscriber that is no member, e.g. an earlier version's instance, acknowledges without a name).
 */
class AcknowledgementsTest {

    @Test
    void everyMemberMustAcknowledgeWhateverTheCount() {
        Acknowledgements acks = new Acknowledgements();
        acks.expect(Set.of("b", "c"), 1);
        acks.acknowledged("b");
        assertThat(acks.done()).as("c is a member and has not answered").isNotDone();
        acks.acknowledged("c");
        assertThat(acks.done()).isDone();
    }

    @Test
    void aSubscriberThatIsNoMemberStillCounts() {
        Acknowledgements acks = new Acknowledgements();
        acks.expect(Set.of("b"), 2);
        acks.acknowledged("b");
        assertThat(acks.done()).as("two others received it; one answered").isNotDone();
        acks.acknowledged(null); // an earlier version's acknowledgement
        assertThat(acks.done()).isDone();
    }

    @Test
    void acknowledgementsBeforeTheAnswerAreKept() {
        Acknowledgements acks = new Acknowledgements();
        acks.acknowledged("b");
        assertThat(acks.done()).as("nothing expected yet").isNotDone();
        acks.expect(Set.of("b"), 1);
        assertThat(acks.done()).isDone();
    }

    @Test
    void nobodyToWaitFor() {
        Acknowledgements acks = new Acknowledgements();
        acks.expect(Set.of(), 0);
        assertThat(acks.done()).isDone();
    }

    @Test
    void anUnreachableExpectationNeverCompletes() {
        Acknowledgements acks = new Acknowledgements();
        acks.expect(Set.of("(our own subscription)"), 0); // our subscription is down: the fence decides
        acks.acknowledged("b");
        assertThat(acks.done()).isNotDone();
    }
}
