package io.biu.redismonitor.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.biu.scheduler.client.api.Wire;
import io.micronaut.serde.annotation.Serdeable;

/** What was decided on a cluster or a web app: scale out, scale in, hold, or blocked (needed, not possible). */
@Serdeable
public enum DecisionKind {
    SCALE_OUT, SCALE_IN, HOLD, BLOCKED;

    /** As the API writes it: {@code scale-out}. */
    @JsonValue
    public String id() {
        return Wire.id(this);
    }

    @JsonCreator
    public static DecisionKind of(String id) {
        return Wire.of(DecisionKind.class, id);
    }
}
