package io.biu.redismonitor.scaling;

import io.biu.redismonitor.policy.Context;
import io.biu.redismonitor.policy.Numbers;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * What a decision was made on, as recorded: the figures of the latest round and the context.
 *
 * @param capacity how many more masters the pod had room for; null when it was not asked (no scale-out needed)
 */
@Serdeable
public record Inputs(double meanRatio, double maxRatio, long usedBytes, long maxBytes, double opsPerSecond,
        double cpu, double growthBytesPerSecond, @Nullable Double secondsToThreshold, long heldForSeconds,
        int masters, int mastersWanted, boolean taskRunning, @Nullable Integer capacity,
        @Nullable String capacityNote, @Nullable String lastAction, @Nullable Instant lastActionAt) {

    static Inputs of(Numbers n, Context c, boolean capacityAsked) {
        return new Inputs(n.meanRatio(), n.maxRatio(), n.usedBytes(), n.maxBytes(), n.opsPerSecond(), n.cpu(),
                n.growthBytesPerSecond(), n.secondsToThreshold(), n.heldForSeconds(), n.masters(), n.mastersWanted(),
                c.taskRunning(), capacityAsked ? c.capacity().masters() : null,
                capacityAsked ? c.capacity().reason() : null,
                c.lastAction() == null ? null : c.lastAction().kind().name().toLowerCase().replace('_', '-'),
                c.lastAction() == null ? null : c.lastAction().at());
    }
}
