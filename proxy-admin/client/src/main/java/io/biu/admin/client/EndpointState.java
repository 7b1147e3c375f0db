package io.biu.admin.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.biu.scheduler.client.api.Wire;
import io.micronaut.serde.annotation.Serdeable;

/** How an endpoint serves: no proxy ready yet, fewer ready than it has, or all of them. */
@Serdeable
public enum EndpointState {
    STARTING, DEGRADED, READY;

    /** The state of an endpoint of {@code proxies} proxies of which {@code ready} are ready. */
    public static EndpointState of(long ready, int proxies) {
        return ready == 0 ? STARTING : ready < proxies ? DEGRADED : READY;
    }

    @JsonValue
    public String id() {
        return Wire.id(this);
    }

    @JsonCreator
    public static EndpointState of(String id) {
        return Wire.of(EndpointState.class, id);
    }
}
