package io.biu.redisctl.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.biu.scheduler.client.api.Wire;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Where an instance is: joining (deployed, not yet part of the cluster), active, draining (a master whose slots and
 * replicas are moving away, or a replica retired with it: nothing heals, adopts or offers it), removable (out of the
 * cluster, its container may be removed) or failed (its container died or was lost, and healing replaces it).
 */
@Serdeable
public enum InstanceState {
    JOINING, ACTIVE, DRAINING, REMOVABLE, FAILED;

    /** As the API writes it: lower case. */
    @JsonValue
    public String id() {
        return Wire.id(this);
    }

    @JsonCreator
    public static InstanceState of(String id) {
        return Wire.of(InstanceState.class, id);
    }
}
