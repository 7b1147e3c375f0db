package io.biu.scheduler.app;

import io.biu.scheduler.api.JsonColumns;
import io.biu.scheduler.client.Schema;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A container template of a tenant: deploying the app makes containers of it. {@code managedBy} names the platform
 * service that runs it for the tenant (null: the tenant's own).
 */
@MappedEntity("app")
public record App(
        @Id @GeneratedValue @Nullable Long id,
        String tenant,
        String name,
        String pod,
        String image,
        @MappedProperty(converter = JsonColumns.StringList.class) List<String> command,
        @MappedProperty(converter = JsonColumns.StringMap.class) Map<String, String> env,
        int cpuPieces,
        long memory,
        @Nullable String antiAffinity,
        @MappedProperty(converter = JsonColumns.StringMap.class) Map<String, String> nodeSelector,
        @MappedProperty(converter = JsonColumns.StringMap.class) Map<String, String> labels,
        @Nullable @MappedProperty(converter = JsonColumns.ProbeColumn.class) Schema.Probe probe,
        @Nullable String volume,
        int ports,
        int stopGrace,
        @Nullable @MappedProperty(converter = JsonColumns.SecurityColumn.class) Schema.Security security,
        Instant createdAt,
        @Nullable String managedBy) {

    /** How its processes run: the image's user, a writable root and no capability unless it says otherwise. */
    public Schema.Security securityOrDefault() {
        return security == null ? new Schema.Security(null, false, List.of(), List.of()) : security;
    }

    public Duration stopGraceDuration() {
        return Duration.ofSeconds(stopGrace);
    }
}
