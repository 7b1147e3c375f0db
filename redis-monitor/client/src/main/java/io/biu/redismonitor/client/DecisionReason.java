package io.biu.redismonitor.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.biu.scheduler.client.api.Wire;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Why a cluster's decision was made: the trigger of a scaling action ({@code memory-mean} ... {@code above-maximum}),
 * or what restrains one ({@code no-data} ... {@code no-capacity}). A hold or a block also names the trigger it held
 * back by one of the triggers.
 */
@Serdeable
public enum DecisionReason {
    /** The mean memory ratio has held at or above the policy's {@code scaleOutMean}. */
    MEMORY_MEAN,
    /** One master has held at or above {@code scaleOutAny}, or came close to its maxmemory. */
    MEMORY_INSTANCE,
    /** Ops/s per master have held at or above {@code opsPerMaster}. */
    OPS,
    /** The mean CPU of a master has held at or above {@code cpu}. */
    CPU,
    /** At the current growth the mean reaches {@code scaleOutMean} within {@code forecastHorizon}. */
    FORECAST,
    /** Fewer masters than {@code minMasters}. */
    BELOW_MINIMUM,
    /** Idle for {@code idleWindow}. */
    IDLE,
    /** More masters than {@code maxMasters}. */
    ABOVE_MAXIMUM,
    /** No fresh figures for every master. */
    NO_DATA,
    /** A threshold is crossed but has not held long enough. */
    NOT_SUSTAINED,
    /** Too soon after the last action. */
    COOLDOWN,
    /** Nothing to do. */
    WITHIN_BOUNDS,
    /** Idle, but already at {@code minMasters}. */
    AT_MINIMUM,
    /** One master fewer would put the cluster above the scale-out targets. */
    REMOVAL_WOULD_EXCEED_TARGET,
    /** A task is already running on the cluster. */
    TASK_RUNNING,
    /** A scale-out is needed but the cluster is at {@code maxMasters}. */
    AT_MAXIMUM,
    /** A scale-out is needed but the pod has no room for another master and its replicas. */
    NO_CAPACITY,
    /** A scale-out is needed but the tenant's quota has no room for another master and its replicas. */
    QUOTA;

    /** As the API writes it: {@code memory-mean}. */
    @JsonValue
    public String id() {
        return Wire.id(this);
    }

    @JsonCreator
    public static DecisionReason of(String id) {
        return Wire.of(DecisionReason.class, id);
    }
}
