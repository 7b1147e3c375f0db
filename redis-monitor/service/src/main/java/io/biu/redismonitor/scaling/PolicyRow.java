package io.biu.redismonitor.scaling;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A tenant's policy for one cluster: the settings it chose, as JSON. */
@MappedEntity("policy")
record PolicyRow(@Id long clusterId, String tenant, String settings, Instant updatedAt) {
}
