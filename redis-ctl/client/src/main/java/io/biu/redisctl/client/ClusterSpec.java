package io.biu.redisctl.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.math.BigDecimal;

/**
 * A cluster as asked for ({@code POST /clusters}); what is left out takes its default: 3 masters, 1 replica per
 * master, 0.5 cores and 1GiB per instance, {@code aof} persistence, {@code noeviction}. The service checks every
 * field and says what to fix.
 */
@Serdeable
public record ClusterSpec(@Nullable String name, @Nullable String pod, @Nullable Integer masters,
        @Nullable Integer replicas, @Nullable BigDecimal cpu, @Nullable String memory, @Nullable String persistence,
        @Nullable String eviction) {
}
