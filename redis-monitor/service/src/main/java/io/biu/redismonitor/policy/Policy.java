package io.biu.redismonitor.policy;

import java.time.Duration;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A tenant's scaling policy for one cluster. Ratios are used memory over maxmemory; see {@link Decider} for how each
 * field is used. The record is wide because it is configuration: build it with {@link #builder()}, which starts from
 * {@link #defaults()}.
 *
 * <p>Invariants: {@code 1 <= minMasters <= maxMasters <= 16384} and
 * {@code 0 < scaleInLow < targetMean < scaleOutMean <= scaleOutAny <= 1}, so a scale-out aims under the threshold that
 * triggered it and a scale-in never lands above the scale-out target.
 *
 * @param minMasters never fewer masters; a cluster below it is scaled out to it
 * @param maxMasters never more masters
 * @param scaleOutMean scale out when the cluster's mean ratio has been at or above this for {@code sustain}
 * @param scaleOutAny scale out when one master's ratio has been at or above this for {@code sustain}
 * @param opsPerMaster scale out when the ops/s per master have been at or above this for {@code sustain}; null is off
 * @param cpu scale out when the mean CPU of a master, in cores, has been at or above this for {@code sustain}; null is
 *     off
 * @param targetMean the mean ratio a scale-out aims at or under (ops and CPU aim at their threshold scaled by
 *     {@link #headroom()})
 * @param scaleInLow scale in when the mean ratio has been below this (and ops and CPU below half their thresholds)
 *     for {@code idleWindow}
 * @param idleWindow how long a cluster must have been idle before it loses a master
 * @param sustain how long a threshold must hold before a scale-out (hysteresis); zero acts on the first round
 * @param cooldownAfterOut after a scale-out, how long to hold further scale-outs (save memory emergencies) and
 *     scale-ins
 * @param cooldownAfterIn after a scale-in, how long to hold further scale-ins
 * @param forecastHorizon how long a new master takes to be ready and filled: scale out once the growth says the mean
 *     will reach {@code scaleOutMean} sooner than that
 * @param growthWindow how far back the growth rate is fitted
 * @param staleAfter a latest round older than this is no data
 */
public record Policy(
        int minMasters,
        int maxMasters,
        double scaleOutMean,
        double scaleOutAny,
        Double opsPerMaster,
        Double cpu,
        double targetMean,
        double scaleInLow,
        Duration idleWindow,
        Duration sustain,
        Duration cooldownAfterOut,
        Duration cooldownAfterIn,
        Duration forecastHorizon,
        Duration growthWindow,
        Duration staleAfter) {

    /** Redis Cluster has 16384 hash slots: a master beyond that would own none. */
    public static final int MAX_MASTERS = 16384;

    public Policy {
        if (minMasters < 1) {
            throw new IllegalArgumentException("minMasters must be at least 1, not " + minMasters);
        }
        if (maxMasters < minMasters) {
            throw new IllegalArgumentException("maxMasters (" + maxMasters + ") must be at least minMasters ("
                    + minMasters + ")");
        }
        if (maxMasters > MAX_MASTERS) {
            throw new IllegalArgumentException("maxMasters must be at most " + MAX_MASTERS
                    + ", one hash slot per master, not " + maxMasters);
        }
        requireOrderedRatios(scaleInLow, targetMean, scaleOutMean, scaleOutAny);
        requirePositiveOrOff("opsPerMaster", opsPerMaster);
        requirePositiveOrOff("cpu", cpu);
        requireNotNegative("idleWindow", idleWindow);
        requireNotNegative("sustain", sustain);
        requireNotNegative("cooldownAfterOut", cooldownAfterOut);
        requireNotNegative("cooldownAfterIn", cooldownAfterIn);
        requireNotNegative("forecastHorizon", forecastHorizon);
        requirePositive("growthWindow", growthWindow);
        requirePositive("staleAfter", staleAfter);
    }

    /** Three to twelve masters; out at 80% mean or 90% on one master, down to 60%; in below 30% for 30 minutes. */
    public static Policy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().minMasters(minMasters).maxMasters(maxMasters).scaleOutMean(scaleOutMean)
                .scaleOutAny(scaleOutAny).opsPerMaster(opsPerMaster).cpu(cpu).targetMean(targetMean)
                .scaleInLow(scaleInLow).idleWindow(idleWindow).sustain(sustain).cooldownAfterOut(cooldownAfterOut)
                .cooldownAfterIn(cooldownAfterIn).forecastHorizon(forecastHorizon).growthWindow(growthWindow)
                .staleAfter(staleAfter);
    }

    /**
     * The ratio at which one master is an emergency, halfway from {@code scaleOutAny} to full (0.95 by default): it
     * scales out on the first round, without waiting for {@code sustain}.
     */
    public double emergencyRatio() {
        return scaleOutAny + (1 - scaleOutAny) / 2;
    }

    /**
     * {@code targetMean / scaleOutMean}: the share of their thresholds that ops/s and CPU per master are brought down
     * to by a scale-out, and must stay under after a scale-in (0.75 by default).
     */
    public double headroom() {
        return targetMean / scaleOutMean;
    }

    /** How far back a {@link Window} must reach for every rule of this policy, with one stale round to spare. */
    public Duration windowAge() {
        Duration longest = Stream.of(idleWindow, growthWindow, sustain).max(Duration::compareTo).orElseThrow();
        return longest.plus(staleAfter);
    }

    private static void requireOrderedRatios(double scaleInLow, double targetMean, double scaleOutMean,
            double scaleOutAny) {
        if (!(scaleInLow > 0)) {
            throw new IllegalArgumentException("scaleInLow must be above 0, not " + scaleInLow);
        }
        if (!(targetMean > scaleInLow)) {
            throw new IllegalArgumentException("targetMean (" + targetMean + ") must be above scaleInLow (" + scaleInLow
                    + "), or a scale-out could land a cluster where it scales in");
        }
        if (!(scaleOutMean > targetMean)) {
            throw new IllegalArgumentException("scaleOutMean (" + scaleOutMean + ") must be above targetMean ("
                    + targetMean + "): a scale-out aims under the threshold that triggered it");
        }
        if (!(scaleOutAny >= scaleOutMean)) {
            throw new IllegalArgumentException("scaleOutAny (" + scaleOutAny + ") must be at least scaleOutMean ("
                    + scaleOutMean + "): one master cannot be held to a lower limit than the mean");
        }
        if (!(scaleOutAny <= 1)) {
            throw new IllegalArgumentException("scaleOutAny must be at most 1 (a full maxmemory), not " + scaleOutAny);
        }
    }

    private static void requirePositiveOrOff(String name, Double threshold) {
        if (threshold != null && (!(threshold > 0) || threshold.isInfinite())) {
            throw new IllegalArgumentException(name + " must be a positive number, or null to turn it off, not "
                    + threshold);
        }
    }

    private static void requireNotNegative(String name, Duration duration) {
        Objects.requireNonNull(duration, name + " is required");
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or more, not " + duration);
        }
    }

    private static void requirePositive(String name, Duration duration) {
        Objects.requireNonNull(duration, name + " is required");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be more than zero, not " + duration);
        }
    }

    /** Builds a {@link Policy} from the defaults; {@link #build()} checks the invariants. */
    public static final class Builder {
        private int minMasters = 3;
        private int maxMasters = 12;
        private double scaleOutMean = 0.80;
        private double scaleOutAny = 0.90;
        private Double opsPerMaster;
        private Double cpu;
        private double targetMean = 0.60;
        private double scaleInLow = 0.30;
        private Duration idleWindow = Duration.ofMinutes(30);
        private Duration sustain = Duration.ofSeconds(30);
        private Duration cooldownAfterOut = Duration.ofMinutes(5);
        private Duration cooldownAfterIn = Duration.ofMinutes(15);
        private Duration forecastHorizon = Duration.ofMinutes(2);
        private Duration growthWindow = Duration.ofMinutes(5);
        private Duration staleAfter = Duration.ofMinutes(1);

        private Builder() {
        }

        public Builder minMasters(int value) {
            minMasters = value;
            return this;
        }

        public Builder maxMasters(int value) {
            maxMasters = value;
            return this;
        }

        public Builder scaleOutMean(double value) {
            scaleOutMean = value;
            return this;
        }

        public Builder scaleOutAny(double value) {
            scaleOutAny = value;
            return this;
        }

        public Builder opsPerMaster(Double value) {
            opsPerMaster = value;
            return this;
        }

        public Builder cpu(Double value) {
            cpu = value;
            return this;
        }

        public Builder targetMean(double value) {
            targetMean = value;
            return this;
        }

        public Builder scaleInLow(double value) {
            scaleInLow = value;
            return this;
        }

        public Builder idleWindow(Duration value) {
            idleWindow = value;
            return this;
        }

        public Builder sustain(Duration value) {
            sustain = value;
            return this;
        }

        public Builder cooldownAfterOut(Duration value) {
            cooldownAfterOut = value;
            return this;
        }

        public Builder cooldownAfterIn(Duration value) {
            cooldownAfterIn = value;
            return this;
        }

        public Builder forecastHorizon(Duration value) {
            forecastHorizon = value;
            return this;
        }

        public Builder growthWindow(Duration value) {
            growthWindow = value;
            return this;
        }

        public Builder staleAfter(Duration value) {
            staleAfter = value;
            return this;
        }

        public Policy build() {
            return new Policy(minMasters, maxMasters, scaleOutMean, scaleOutAny, opsPerMaster, cpu, targetMean,
                    scaleInLow, idleWindow, sustain, cooldownAfterOut, cooldownAfterIn, forecastHorizon, growthWindow,
                    staleAfter);
        }
    }
}
