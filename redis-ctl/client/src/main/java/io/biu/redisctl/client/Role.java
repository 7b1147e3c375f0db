package io.biu.redisctl.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.biu.scheduler.client.api.Wire;
import io.micronaut.serde.annotation.Serdeable;

/** An instance's role: a master serves slots, a replica follows a master. */
@Serdeable
public enum Role {
    MASTER, REPLICA;

    /** As the API writes it: lower case. */
    @JsonValue
    public String id() {
        return Wire.id(this);
    }

    @JsonCreator
    public static Role of(String id) {
        return Wire.of(Role.class, id);
    }
}
