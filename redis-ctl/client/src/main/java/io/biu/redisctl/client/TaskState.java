package io.biu.redisctl.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.biu.scheduler.client.api.Wire;
import io.micronaut.serde.annotation.Serdeable;

/** Where a task is: waiting for a process to claim it, running, or ended. */
@Serdeable
public enum TaskState {
    PENDING, RUNNING, DONE, FAILED;

    /** Not ended yet. */
    public boolean open() {
        return this == PENDING || this == RUNNING;
    }

    /** As the API writes it: lower case. */
    @JsonValue
    public String id() {
        return Wire.id(this);
    }

    @JsonCreator
    public static TaskState of(String id) {
        return Wire.of(TaskState.class, id);
    }
}
