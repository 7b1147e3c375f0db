package io.biu.scheduler.event;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** Who runs a single-runner job (the relay, the agents) and until when, unless renewed. */
@MappedEntity("lease")
public record Lease(@Id String name, String holder, Instant expiresAt) {
}
