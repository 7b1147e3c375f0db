package io.biu.redismonitor.scaling;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** Who runs a single-runner job and until when, unless renewed. */
@MappedEntity("lease")
record Lease(@Id String name, String holder, Instant expiresAt) {
}
