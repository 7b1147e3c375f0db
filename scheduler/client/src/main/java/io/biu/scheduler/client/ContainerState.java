package io.biu.scheduler.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.biu.scheduler.client.api.Wire;
import io.micronaut.serde.annotation.Serdeable;
import java.util.EnumSet;
import java.util.Set;

/**
 * A container's life as the scheduler records it. Every state holds the container's resources and address: only
 * confirmed removal (the container's disappearance) frees them.
 */
@Serdeable
public enum ContainerState {
    /** Resources and address reserved; the engine may not have the container yet. */
    RESERVED,
    /** The engine has created it; not started. */
    CREATED,
    /** Started. */
    RUNNING,
    /** Being stopped on purpose. */
    STOPPING,
    /** Stopped on purpose, not yet removed. */
    STOPPED,
    /** Exited on its own (or was OOM-killed). */
    DIED,
    /** Its node is unreachable: its fate is unknown. */
    LOST,
    /** Removal asked for, not yet confirmed by its engine. */
    REMOVING;

    /** The states of a container that is, or is about to be, running. */
    public static final Set<ContainerState> LIVE = EnumSet.of(RESERVED, CREATED, RUNNING);

    /** As the API writes it: lower case. */
    @JsonValue
    public String id() {
        return Wire.id(this);
    }

    @JsonCreator
    public static ContainerState of(String id) {
        return Wire.of(ContainerState.class, id);
    }
}
