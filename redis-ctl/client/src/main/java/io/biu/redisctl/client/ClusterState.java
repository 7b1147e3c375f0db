package io.biu.redisctl.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.biu.scheduler.client.api.Wire;
import io.micronaut.serde.annotation.Serdeable;

/** Where a cluster is in its life. */
@Serdeable
public enum ClusterState {
    /** Its formation task runs. */
    CREATING,
    /** Every slot is served and every instance reports cluster_state:ok. */
    READY,
    /** A task gave up; its error says why. */
    FAILED,
    /** Its deletion task runs. */
    DELETING;

    /** As the API writes it: lower case. */
    @JsonValue
    public String id() {
        return Wire.id(this);
    }

    @JsonCreator
    public static ClusterState of(String id) {
        return Wire.of(ClusterState.class, id);
    }
}
