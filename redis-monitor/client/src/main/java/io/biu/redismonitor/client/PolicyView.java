package io.biu.redismonitor.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A cluster's scaling policy ({@code GET}, {@code PUT} and {@code DELETE /policies/{cluster}}).
 *
 * @param chosen the settings its tenant chose; null for the defaults
 * @param policy the policy in force, every setting
 * @param updatedAt when the tenant last chose; null for the defaults
 */
@Serdeable
public record PolicyView(long cluster, String clusterName, @Nullable PolicySettings chosen, PolicySettings policy,
        @Nullable Instant updatedAt) {
}
