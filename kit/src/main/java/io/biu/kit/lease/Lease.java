package io.biu.kit.lease;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** Who runs a single-runner job and until when (by the database's clock), unless renewed. */
@MappedEntity("lease")
record Lease(@Id String name, String holder, Instant expiresAt) {
}
