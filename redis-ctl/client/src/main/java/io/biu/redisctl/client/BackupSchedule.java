package io.biu.redisctl.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A cluster's backups on a schedule: one every {@code every} ({@code 30m}, {@code 6h}, {@code 1d}), the newest
 * {@code keep} complete ones kept and older ones deleted. {@code nextAt} is when the next is due (in answers only).
 */
@Serdeable
public record BackupSchedule(@Nullable String every, @Nullable Integer keep, @Nullable Instant nextAt) {
}
