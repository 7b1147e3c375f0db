package io.biu.redisctl.client;

import io.biu.scheduler.client.api.Wire;

/** One named step of a task; each {@link TaskKind} lists its steps as an enum of these, in the order they run. */
public interface TaskStep {

    /** The enum constant's name. */
    String name();

    /** The step as the API and settings name it: {@code await-ready}. */
    default String id() {
        return Wire.id(name());
    }
}
