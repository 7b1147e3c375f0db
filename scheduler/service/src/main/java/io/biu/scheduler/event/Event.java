package io.biu.scheduler.event;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** One announced state change, as stored in the outbox. {@code payload} is the JSON consumers read. */
@MappedEntity("event")
public record Event(
        @Id long seq,
        String type,
        @Nullable String tenant,
        @Nullable Long appId,
        @Nullable Long containerId,
        @Nullable String node,
        String payload,
        Instant createdAt,
        boolean published) {
}
