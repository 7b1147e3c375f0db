package io.biu.redismonitor.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A recorded decision on a cluster ({@code GET /decisions}, {@code GET /clusters/{id}/decisions}): what was decided,
 * why, on which figures, and the action it started.
 *
 * @param masters masters to add (scale-out), 1 (scale-in), else 0
 * @param trigger of a hold or a block: the trigger it held back, if any
 * @param why of a block: what stands in the way, and what would remove it
 */
@Serdeable
public record DecisionView(long id, long cluster, String clusterName, Instant at, DecisionKind decision, int masters,
        DecisionReason reason, @Nullable DecisionReason trigger, @Nullable String why, Inputs inputs,
        @Nullable ActionView action) {
}
