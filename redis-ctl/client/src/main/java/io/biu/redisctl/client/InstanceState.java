package io.biu.redisctl.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.biu.scheduler.client.api.Wire;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Where an instance is: joining (deployed, not yet part of the cluster), active, draining (a master whose slots and
 * replicas are moving away, or a replica retired with it: nothing heals, adopts or offers it), removable (out of the
 * cluster, its container may be removed), suspect (the scheduler reported its container died or lost: it is watched,
 * and nothing is done about it until the data plane confirms it failed), failed (confirmed failed and fenced: healing
 * replaces it) or abandoned (a failed master whose shard has no copy left, which an operator chose to serve again,
 * empty).
 */
@Serdeable
public enum InstanceState {
    JOINING, ACTIVE, DRAINING, REMOVABLE, SUSPECT, FAILED, ABANDONED;

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
