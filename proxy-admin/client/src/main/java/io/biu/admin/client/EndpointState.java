package io.biu.admin.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Locale;

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
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static EndpointState of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
