package io.biu.redismonitor.client;

import io.biu.scheduler.client.api.Wire;

/** One named step of a scaling action; each {@link ActionKind} lists its steps as an enum of these, in order. */
public interface ActionStep {

    /** The enum constant's name. */
    String name();

    /** The step as the API, the stored action and settings name it: {@code deployed}. */
    default String id() {
        return Wire.id(name());
    }
}
