package io.biu.redisctl.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.biu.scheduler.client.api.Wire;
import io.micronaut.serde.annotation.Serdeable;

/** How a cluster keeps its data: an append-only file on the instance's volume, or only in memory. */
@Serdeable
public enum Persistence {
    AOF, NONE;

    /** As the API writes it: lower case. */
    @JsonValue
    public String id() {
        return Wire.id(this);
    }

    @JsonCreator
    public static Persistence of(String id) {
        return Wire.of(Persistence.class, id);
    }
}
