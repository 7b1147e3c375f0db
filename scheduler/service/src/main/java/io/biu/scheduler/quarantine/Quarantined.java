package io.biu.scheduler.quarantine;

import io.biu.scheduler.api.JsonColumns;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;
import java.util.Map;

/**
 * An engine container that carries Biu's labels but has no row: stopped and kept, with its data, until an operator
 * deletes it or its grace runs out. Docker cannot relabel a container, so the mark lives here.
 */
@MappedEntity("quarantined")
public record Quarantined(
        @Id @GeneratedValue @Nullable Long id,
        long nodeId,
        String node,
        String engineId,
        String name,
        @MappedProperty(converter = JsonColumns.StringMap.class) Map<String, String> labels,
        Instant firstSeen) {
}
