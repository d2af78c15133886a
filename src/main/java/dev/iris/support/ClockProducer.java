package dev.iris.support;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/**
 * The clock every expiry and window is computed with (a singleton: no client proxy on every reading); tests may
 * replace it with an alternative bean.
 */
@Singleton
public class ClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
