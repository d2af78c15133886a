package dev.iris.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code iris.hooks.*}: blocking pre-hooks (Kratos's web hooks with {@code can_interrupt}). A configured URL is asked
 * before a registration sends its code, and before a sign-in issues a session; it allows, or denies with messages
 * shown to the user. None by default.
 */
public interface HooksConfig {

    /** Asked when a sign-up is about to send its code: nothing is created or mailed when it denies. */
    @WithName("before-registration")
    Hook beforeRegistration();

    /** Asked when a sign-in (code, link, recovery, passkey) is about to issue a session. */
    @WithName("before-login")
    Hook beforeLogin();

    interface Hook {
        /** Where the hook is POSTed (JSON); unset: no hook. */
        Optional<String> url();

        /** How long Iris waits for the answer; then {@code on-failure} decides. */
        @WithDefault("5s")
        Duration timeout();

        /**
         * What an unreachable, slow or broken hook means: {@code deny} (the default — fail closed: nobody signs up or
         * in while the hook cannot say yes) or {@code allow} (fail open).
         */
        @WithName("on-failure")
        @WithDefault("deny")
        OnFailure onFailure();

        /** Optional {@code whsec_…} secret: requests are then signed like webhooks, so the hook can tell Iris's. */
        Optional<List<String>> secret();
    }

    enum OnFailure {
        DENY, ALLOW
    }
}
