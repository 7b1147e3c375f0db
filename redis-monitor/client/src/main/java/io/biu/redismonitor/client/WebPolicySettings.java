package io.biu.redismonitor.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A web app's scaling policy on its request rate, as the API reads and writes it; durations as text ({@code 30s}). In a
 * request ({@code PUT /web-policies/{app}}) a field left out takes its default: 2 to 20 containers of 100 requests/s
 * each, out at 100% of that for 30s, in under 50% for 5m.
 */
@Serdeable
public record WebPolicySettings(
        @Nullable Integer minContainers,
        @Nullable Integer maxContainers,
        @Nullable Double targetRps,
        @Nullable Double scaleOutRatio,
        @Nullable Double scaleInRatio,
        @Nullable String sustain,
        @Nullable String idleWindow,
        @Nullable String cooldownAfterOut,
        @Nullable String cooldownAfterIn,
        @Nullable String staleAfter) {
}
