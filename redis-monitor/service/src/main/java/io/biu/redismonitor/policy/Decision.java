package io.biu.redismonitor.policy;

import java.util.Objects;

/** What to do with a cluster, why, and the numbers behind it. */
public sealed interface Decision {

    Reason reason();

    Numbers numbers();

    /**
     * Add {@code add} masters (each with its replicas).
     *
     * @param reason the trigger
     */
    record ScaleOut(int add, Reason reason, Numbers numbers) implements Decision {
        public ScaleOut {
            if (add < 1) {
                throw new IllegalArgumentException("a scale-out adds at least one master, not " + add);
            }
            requireRole(reason, Reason.Role.SCALE_OUT);
            Objects.requireNonNull(numbers, "numbers");
        }
    }

    /**
     * Remove one master (and its replicas). Never more than one at a time: each removal is re-judged on fresh data.
     *
     * @param reason the trigger
     */
    record ScaleIn(Reason reason, Numbers numbers) implements Decision {
        public ScaleIn {
            requireRole(reason, Reason.Role.SCALE_IN);
            Objects.requireNonNull(numbers, "numbers");
        }
    }

    /**
     * Do nothing, by choice.
     *
     * @param trigger the trigger held back (by a cooldown, a missing sustain...), or null
     * @param closeCall whether a scale-out threshold is crossed, or within 10% of it (see
     *     {@link Decider#CLOSE_CALL_MARGIN}): a near miss worth recording
     */
    record Hold(Reason reason, Reason trigger, Numbers numbers, boolean closeCall) implements Decision {
        public Hold {
            requireRole(reason, Reason.Role.RESTRAINT);
            if (trigger != null && !trigger.isTrigger()) {
                throw new IllegalArgumentException(trigger + " is not a trigger");
            }
            Objects.requireNonNull(numbers, "numbers");
        }
    }

    /**
     * An action is needed and cannot be taken.
     *
     * @param trigger what needs it
     * @param why for people: what stands in the way and what would remove it
     */
    record Blocked(Reason reason, Reason trigger, Numbers numbers, String why) implements Decision {
        public Blocked {
            requireRole(reason, Reason.Role.RESTRAINT);
            Objects.requireNonNull(trigger, "trigger");
            if (!trigger.isTrigger()) {
                throw new IllegalArgumentException(trigger + " is not a trigger");
            }
            Objects.requireNonNull(numbers, "numbers");
            if (why == null || why.isBlank()) {
                throw new IllegalArgumentException("a blocked decision must say why");
            }
        }
    }

    private static void requireRole(Reason reason, Reason.Role role) {
        Objects.requireNonNull(reason, "reason");
        if (reason.role() != role) {
            throw new IllegalArgumentException(reason + " cannot be the reason of a decision of role " + role);
        }
    }
}
