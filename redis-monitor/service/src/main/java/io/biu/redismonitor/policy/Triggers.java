package io.biu.redismonitor.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The thresholds of a policy as conditions on rounds, and which scale-out triggers fire. */
final class Triggers {

    /** The sustained triggers, in the order their reasons are reported when several fire. */
    private static final List<Reason> SUSTAINED = List.of(Reason.MEMORY_MEAN, Reason.MEMORY_INSTANCE, Reason.OPS,
            Reason.CPU);

    private Triggers() {
    }

    /** A trigger and how long its condition has held. */
    record Trigger(Reason reason, Duration heldFor) {
    }

    /**
     * The scale-out triggers of the latest round.
     *
     * @param fired the first trigger that fired, or null
     * @param pending the first trigger whose condition holds but not yet for {@code sustain}, or null
     * @param memoryEmergency whether a master is over {@code scaleOutAny} for {@code sustain}, or over the emergency
     *     ratio: it beats the cooldown after a scale-out
     */
    record Outcome(Trigger fired, Trigger pending, boolean memoryEmergency) {
    }

    static Outcome evaluate(Window window, Policy policy, Reading reading) {
        List<Trigger> fired = new ArrayList<>();
        Trigger pending = null;
        for (Reason reason : SUSTAINED) {
            Optional<Predicate<Round>> condition = condition(reason, policy);
            Optional<Duration> heldFor = condition.flatMap(window::heldFor);
            if (heldFor.isEmpty()) {
                continue;
            }
            Trigger trigger = new Trigger(reason, heldFor.get());
            boolean emergency = reason == Reason.MEMORY_INSTANCE
                    && reading.latest().maxRatio() >= policy.emergencyRatio();
            if (emergency || heldFor.get().compareTo(policy.sustain()) >= 0) {
                fired.add(trigger);
            } else if (pending == null) {
                pending = trigger;
            }
        }
        if (reading.secondsToThreshold() != null
                && reading.secondsToThreshold() < Reading.seconds(policy.forecastHorizon())) {
            fired.add(new Trigger(Reason.FORECAST, Duration.ZERO));
        }
        boolean memoryEmergency = fired.stream().anyMatch(trigger -> trigger.reason() == Reason.MEMORY_INSTANCE);
        return new Outcome(fired.isEmpty() ? null : fired.get(0), pending, memoryEmergency);
    }

    /**
     * Whether a round is idle: mean ratio below {@code scaleInLow}, and ops/s per master and mean CPU below half their
     * thresholds when those are set.
     */
    static boolean idle(Round round, Policy policy) {
        return round.meanRatio() < policy.scaleInLow()
                && (policy.opsPerMaster() == null || round.opsPerMaster() < policy.opsPerMaster() / 2)
                && (policy.cpu() == null || round.meanCpu() < policy.cpu() / 2);
    }

    /** The condition of a sustained trigger; empty when its threshold is off. */
    private static Optional<Predicate<Round>> condition(Reason reason, Policy policy) {
        return switch (reason) {
            case MEMORY_MEAN -> Optional.of(round -> round.meanRatio() >= policy.scaleOutMean());
            case MEMORY_INSTANCE -> Optional.of(round -> round.maxRatio() >= policy.scaleOutAny());
            case OPS -> Optional.ofNullable(policy.opsPerMaster())
                    .map(threshold -> round -> round.opsPerMaster() >= threshold);
            case CPU -> Optional.ofNullable(policy.cpu()).map(threshold -> round -> round.meanCpu() >= threshold);
            default -> throw new IllegalArgumentException(reason + " is not a sustained trigger");
        };
    }
}
