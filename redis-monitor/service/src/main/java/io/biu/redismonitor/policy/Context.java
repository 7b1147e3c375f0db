package io.biu.redismonitor.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a decision needs besides the window and the policy.
 *
 * @param now the decision's instant, for cooldowns and the staleness of the window
 * @param masters how many masters the cluster has now
 * @param lastAction the last scaling action that completed, or null if there was none
 * @param taskRunning whether a task (scaling or other) is running on the cluster
 * @param capacity how many more masters the pod can take
 */
public record Context(Instant now, int masters, LastAction lastAction, boolean taskRunning, Capacity capacity) {

    public Context {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(capacity, "capacity");
        if (masters < 0) {
            throw new IllegalArgumentException("masters cannot be negative: " + masters);
        }
        if (lastAction != null && lastAction.at().isAfter(now)) {
            throw new IllegalArgumentException("the last action (" + lastAction.at() + ") cannot be after now ("
                    + now + ")");
        }
    }

    /** Whether the last action was of {@code kind} and completed less than {@code cooldown} ago. */
    public boolean within(Kind kind, Duration cooldown) {
        return lastAction != null && lastAction.kind() == kind && now.isBefore(lastAction.at().plus(cooldown));
    }

    public enum Kind {
        SCALE_OUT,
        SCALE_IN
    }

    /** A scaling action and the instant its task completed. */
    public record LastAction(Kind kind, Instant at) {

        public LastAction {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(at, "at");
        }

        public static LastAction scaleOut(Instant at) {
            return new LastAction(Kind.SCALE_OUT, at);
        }

        public static LastAction scaleIn(Instant at) {
            return new LastAction(Kind.SCALE_IN, at);
        }
    }

    /**
     * How many more masters, each with its replicas, the pod and the tenant's quota have room for; when none, why
     * not.
     *
     * @param reason  null when {@code masters > 0}
     * @param byQuota whether it is the quota that has no room (the pod may have some)
     */
    public record Capacity(int masters, String reason, boolean byQuota) {

        public Capacity(int masters, String reason) {
            this(masters, reason, false);
        }

        public Capacity {
            if (masters < 0) {
                throw new IllegalArgumentException("capacity cannot be negative: " + masters);
            }
            if (masters == 0 && (reason == null || reason.isBlank())) {
                throw new IllegalArgumentException("a pod with room for no master must say why: use Capacity.none");
            }
            if (masters > 0 && reason != null) {
                throw new IllegalArgumentException("a pod with room for " + masters + " masters needs no reason");
            }
        }

        public static Capacity of(int masters) {
            return new Capacity(masters, null);
        }

        public static Capacity none(String reason) {
            return new Capacity(0, reason);
        }

        /** No room left in the tenant's quota. */
        public static Capacity quota(String reason) {
            return new Capacity(0, reason, true);
        }

        /** Why nothing can be added: {@link Reason#QUOTA} or {@link Reason#NO_CAPACITY}. */
        public Reason blocking() {
            return byQuota ? Reason.QUOTA : Reason.NO_CAPACITY;
        }
    }
}
