package dev.iris.session;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An invalidation waiting for its acknowledgements ({@link SessionInvalidations}): registered before the announcement
 * (an acknowledgement may come back before the script's own answer is read), told whose to expect once it answers.
 */
final class Acknowledgements {

    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Set<String> received = new HashSet<>();
    private int anonymous;
    private Set<String> expected;
    private int atLeast;

    /** Completes when every expected acknowledgement has come. */
    CompletableFuture<Void> done() {
        return done;
    }

    /** An acknowledgement from {@code receiver}; null from an instance of an earlier version (no name). */
    synchronized void acknowledged(String receiver) {
        if (receiver == null) {
            anonymous++;
        } else {
            received.add(receiver);
        }
        settle();
    }

    /** Every one of {@code members}, and at least {@code count} acknowledgements in all. */
    synchronized void expect(Set<String> members, int count) {
        expected = members;
        atLeast = count;
        settle();
    }

    private void settle() {
        if (expected != null && received.containsAll(expected) && received.size() + anonymous >= atLeast) {
            done.complete(null);
        }
    }
}
