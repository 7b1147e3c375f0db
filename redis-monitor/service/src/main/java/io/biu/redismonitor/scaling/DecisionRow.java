package io.biu.redismonitor.scaling;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;

/** A recorded decision: what was decided on a cluster, why, on which figures, and the action it started. */
@MappedEntity("decision")
record DecisionRow(
        @Id @GeneratedValue @Nullable Long id,
        long clusterId,
        String tenant,
        String cluster,
        Instant at,
        String kind,
        int masters,
        String reason,
        @Nullable @MappedProperty("trigger_reason") String trigger,
        @Nullable String why,
        String inputs,
        @Nullable Long actionId) {
}
