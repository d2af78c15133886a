package dev.iris.events;

import java.util.Arrays;
import java.util.Optional;

/** The events an endpoint can subscribe to, by their wire names (the {@code type} of every payload). */
public enum EventType {
    IDENTITY_CREATED("identity.created"),
    IDENTITY_UPDATED("identity.updated"),
    IDENTITY_DELETED("identity.deleted"),
    SESSION_CREATED("session.created"),
    SESSION_REVOKED("session.revoked"),
    SESSION_AAL_RAISED("session.aal_raised"),
    SECOND_FACTOR_ADDED("second_factor.added"),
    SECOND_FACTOR_REMOVED("second_factor.removed"),
    PASSKEY_ADDED("passkey.added"),
    PASSKEY_REMOVED("passkey.removed"),
    LOGIN_FAILED("login.failed"),
    RECOVERY_COMPLETED("recovery.completed");

    /** Sent only by the admin API's test call, to one endpoint; not subscribable. */
    public static final String TEST = "webhook.test";

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<EventType> byWire(String name) {
        return Arrays.stream(values()).filter(type -> type.wire.equals(name)).findFirst();
    }
}
