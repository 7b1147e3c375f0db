package io.biu.scheduler.quota;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.math.BigDecimal;
import java.time.Instant;

/** What a tenant may hold at most; a null limit is none. */
@MappedEntity("tenant_quota")
public record Quota(
        @Id String tenant,
        @Nullable BigDecimal cores,
        @Nullable Long memory,
        @Nullable Integer containers,
        @Nullable Integer clusters,
        @Nullable Integer endpoints,
        Instant updatedAt) {

    public Quota {
        // as given, whatever scale the database keeps it at
        cores = cores == null ? null : cores.stripTrailingZeros();
    }
}
