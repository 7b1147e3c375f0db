package io.biu.redismonitor.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A cluster's scaling policy as the API reads and writes it: ratios as fractions (0.8 is 80% of maxmemory), durations
 * as text ({@code 500ms}, {@code 90s}, {@code 30m}, {@code 2h} or ISO-8601). In a request ({@code PUT
 * /policies/{cluster}}), a field left out takes its default; the service checks the whole and says what to fix. In a
 * {@link PolicyView}, {@code policy} has every field but {@code opsPerMaster} and {@code cpu}, which are off unless
 * set.
 */
@Serdeable
public record PolicySettings(
        @Nullable Integer minMasters,
        @Nullable Integer maxMasters,
        @Nullable Double scaleOutMean,
        @Nullable Double scaleOutAny,
        @Nullable Double opsPerMaster,
        @Nullable Double cpu,
        @Nullable Double targetMean,
        @Nullable Double scaleInLow,
        @Nullable String idleWindow,
        @Nullable String sustain,
        @Nullable String cooldownAfterOut,
        @Nullable String cooldownAfterIn,
        @Nullable String forecastHorizon,
        @Nullable String growthWindow,
        @Nullable String staleAfter) {
}
