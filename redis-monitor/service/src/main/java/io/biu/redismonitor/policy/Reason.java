package io.biu.redismonitor.policy;

/** Why a {@link Decision} was made: what triggers a scaling action, or what restrains one. */
public enum Reason {
    /** The mean memory ratio has held at or above {@link Policy#scaleOutMean()}. */
    MEMORY_MEAN(Role.SCALE_OUT),
    /** One master has held at or above {@link Policy#scaleOutAny()}, or reached {@link Policy#emergencyRatio()}. */
    MEMORY_INSTANCE(Role.SCALE_OUT),
    /** Ops/s per master have held at or above {@link Policy#opsPerMaster()}. */
    OPS(Role.SCALE_OUT),
    /** The mean CPU of a master has held at or above {@link Policy#cpu()}. */
    CPU(Role.SCALE_OUT),
    /** At the current growth the mean reaches {@link Policy#scaleOutMean()} within {@link Policy#forecastHorizon()}. */
    FORECAST(Role.SCALE_OUT),
    /** The cluster has fewer masters than {@link Policy#minMasters()}. */
    BELOW_MINIMUM(Role.SCALE_OUT),
    /** The cluster has been idle for {@link Policy#idleWindow()}. */
    IDLE(Role.SCALE_IN),
    /** The cluster has more masters than {@link Policy#maxMasters()} (the policy was lowered). */
    ABOVE_MAXIMUM(Role.SCALE_IN),
    /** No round yet, the latest is stale, or it covers a different number of masters than the cluster has. */
    NO_DATA(Role.RESTRAINT),
    /** A threshold is crossed but has not held long enough ({@code sustain}, or {@code idleWindow} to scale in). */
    NOT_SUSTAINED(Role.RESTRAINT),
    /** Too soon after the last action. */
    COOLDOWN(Role.RESTRAINT),
    /** Nothing to do. */
    WITHIN_BOUNDS(Role.RESTRAINT),
    /** Idle, but already at {@link Policy#minMasters()}. */
    AT_MINIMUM(Role.RESTRAINT),
    /** One master fewer would put the cluster above the scale-out targets: it would scale out again. */
    REMOVAL_WOULD_EXCEED_TARGET(Role.RESTRAINT),
    /** A task is already running on the cluster. */
    TASK_RUNNING(Role.RESTRAINT),
    /** A scale-out is needed but the cluster is at {@link Policy#maxMasters()}. */
    AT_MAXIMUM(Role.RESTRAINT),
    /** A scale-out is needed but the pod has no room for another master. */
    NO_CAPACITY(Role.RESTRAINT),
    /** A scale-out is needed but the tenant's quota has no room for another master. */
    QUOTA(Role.RESTRAINT);

    /** What a reason can explain. */
    public enum Role {
        /** The trigger of a scale-out. */
        SCALE_OUT,
        /** The trigger of a scale-in. */
        SCALE_IN,
        /** Why nothing is done: the reason of a hold or a block. */
        RESTRAINT
    }

    private final Role role;

    Reason(Role role) {
        this.role = role;
    }

    public Role role() {
        return role;
    }

    public boolean isTrigger() {
        return role != Role.RESTRAINT;
    }
}
