package io.biu.redismonitor.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * What a cluster's decision was made on, as recorded: the figures of the latest round and the context.
 *
 * @param meanRatio used memory over maxmemory, over all masters
 * @param maxRatio the same, of the fullest master
 * @param secondsToThreshold at the current growth, when the mean reaches the scale-out threshold; null if it does not
 *     grow
 * @param heldForSeconds how long the trigger (or the idle spell) has held
 * @param mastersWanted the masters the policy wants
 * @param taskRunning whether redis-ctl ran a task on the cluster
 * @param capacity how many more masters the pod had room for; null when it was not asked (no scale-out needed)
 * @param capacityNote why the pod had no room; null when it had some or was not asked
 * @param lastAction the last scaling action that completed, if any, and when
 */
@Serdeable
public record Inputs(double meanRatio, double maxRatio, long usedBytes, long maxBytes, double opsPerSecond,
        double cpu, double growthBytesPerSecond, @Nullable Double secondsToThreshold, long heldForSeconds,
        int masters, int mastersWanted, boolean taskRunning, @Nullable Integer capacity,
        @Nullable String capacityNote, @Nullable ActionKind lastAction, @Nullable Instant lastActionAt) {
}
