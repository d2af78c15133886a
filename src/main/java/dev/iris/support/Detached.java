package dev.iris.support;

import io.smallrye.mutiny.Uni;

/**
 * Runs work to its end even if the client goes away. RESTEasy Reactive cancels a request's Uni when the
 * connection closes; cancelling in the middle of a Hibernate Reactive transaction only rolls it back noisily
 * ("HR000090: Live transaction detected while closing the connection"). A sign-in that was decided is better
 * finished: the subscription below is not cancelled with the caller's.
 */
public final class Detached {

    private Detached() {
    }

    public static <T> Uni<T> of(Uni<T> work) {
        return Uni.createFrom().emitter(emitter -> work.subscribe().with(emitter::complete, emitter::fail));
    }
}
