package io.biu.redisctl.redis;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * How slots move ({@code biu.redis-ctl.migration.*}).
 *
 * @param batch        keys per MIGRATE
 * @param pipeline     MIGRATEs in flight on one connection
 * @param parallel     moves at once (between distinct source/target pairs)
 * @param slots        slots moved together, in one pipeline, between a source and a target
 * @param timeout      MIGRATE's own timeout for a batch
 * @param bigKey       bytes (MEMORY USAGE) from which a key is moved alone and reported
 * @param keysPerSecond a cap on keys moved per second by one task; 0 for none
 */
@ConfigurationProperties("biu.redis-ctl.migration")
public record MigrationSettings(int batch, int pipeline, int parallel, int slots, Duration timeout, long bigKey,
        long keysPerSecond) {
}
