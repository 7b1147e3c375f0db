package io.biu.scheduler.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.biu.scheduler.client.api.Wire;
import io.micronaut.serde.annotation.Serdeable;

/** Whether a node's agent holds its lease. */
@Serdeable
public enum NodeState {
    UP,
    DOWN;

    /** As the API writes it: lower case. */
    @JsonValue
    public String id() {
        return Wire.id(this);
    }

    @JsonCreator
    public static NodeState of(String id) {
        return Wire.of(NodeState.class, id);
    }
}
