package io.biu.redismonitor.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one decision reads from the window: the latest round, the growth of used memory and the forecast.
 *
 * @param growth bytes per second; 0 when the window holds too little to fit it
 * @param secondsToThreshold when growing and below {@code scaleOutMean}: seconds until the mean reaches it; else null
 */
record Reading(Round latest, double growth, Double secondsToThreshold) {

    /** Empty when the window has no round, or its latest is older than {@link Policy#staleAfter()}. */
    static Optional<Reading> of(Window window, Policy policy, Instant now) {
        Optional<Round> latest = window.latest();
        if (latest.isEmpty() || latest.get().at().isBefore(now.minus(policy.staleAfter()))) {
            return Optional.empty();
        }
        Round round = latest.get();
        double growth = window.growthBytesPerSecond(policy.growthWindow()).orElse(0);
        double gap = policy.scaleOutMean() * round.maxmemory() - round.usedMemory();
        Double seconds = growth > 0 && gap > 0 ? gap / growth : null;
        return Optional.of(new Reading(round, growth, seconds));
    }

    /** Used memory at the end of the forecast horizon, if it grows; shrinking is not counted on. */
    double forecastUsed(Policy policy) {
        return latest.usedMemory() + Math.max(0, growth) * seconds(policy.forecastHorizon());
    }

    Numbers numbers(int masters, Duration heldFor, int mastersWanted) {
        return new Numbers(latest.meanRatio(), latest.maxRatio(), latest.usedMemory(), latest.maxmemory(),
                latest.opsPerSecond(), latest.meanCpu(), growth, secondsToThreshold, heldFor.toSeconds(), masters,
                mastersWanted);
    }

    /** Whether a scale-out threshold is crossed or within {@code margin} (relative) of it. */
    boolean nearScaleOut(Policy policy, double margin) {
        double near = 1 - margin;
        return latest.meanRatio() >= near * policy.scaleOutMean()
                || latest.maxRatio() >= near * policy.scaleOutAny()
                || policy.opsPerMaster() != null && latest.opsPerMaster() >= near * policy.opsPerMaster()
                || policy.cpu() != null && latest.meanCpu() >= near * policy.cpu()
                || secondsToThreshold != null
                        && secondsToThreshold < (1 + margin) * seconds(policy.forecastHorizon());
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
