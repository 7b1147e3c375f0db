package io.biu.redismonitor.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.biu.scheduler.client.api.Wire;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Where a scaling action is: running, or ended (done; failed, when redis-ctl's task failed or vanished; abandoned, when
 * it could not go on and undid what it had deployed). At most one runs per cluster.
 */
@Serdeable
public enum ActionState {
    RUNNING, DONE, FAILED, ABANDONED;

    /** As the API writes it: lower case. */
    @JsonValue
    public String id() {
        return Wire.id(this);
    }

    @JsonCreator
    public static ActionState of(String id) {
        return Wire.of(ActionState.class, id);
    }
}
