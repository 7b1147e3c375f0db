package io.biu.scheduler.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

/** Every state change the scheduler announces, with its name on the stream and in the API. */
@Serdeable
public enum EventType {
    CONTAINER_STARTED("container.started"),
    CONTAINER_READY("container.ready"),
    CONTAINER_STOPPING("container.stopping"),
    CONTAINER_STOPPED("container.stopped"),
    CONTAINER_DIED("container.died"),
    CONTAINER_LOST("container.lost"),
    CONTAINER_REMOVED("container.removed"),
    NODE_UP("node.up"),
    NODE_DOWN("node.down"),
    NODE_CORDONED("node.cordoned");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the stream and in the API, e.g. {@code container.ready}. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    public boolean aboutContainer() {
        return wireName.startsWith("container.");
    }

    @JsonCreator
    public static EventType of(String wireName) {
        for (EventType t : values()) {
            if (t.wireName.equals(wireName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + wireName + "' is not an event type");
    }
}
