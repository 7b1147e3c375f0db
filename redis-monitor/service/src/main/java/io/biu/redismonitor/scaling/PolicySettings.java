package io.biu.redismonitor.scaling;

import io.biu.redismonitor.api.MonitorException;
import io.biu.redismonitor.policy.Policy;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A policy as the API reads and writes it: ratios as fractions (0.8 is 80% of maxmemory), durations as text
 * ({@code 30m}). In a request, a field left out takes its default; the stored policy is the request as given.
 */
@Serdeable
public record PolicySettings(
        @Nullable Integer minMasters,
        @Nullable Integer maxMasters,
        @Nullable Double scaleOutMean,
        @Nullable Double scaleOutAny,
        @Nullable Double opsPerMaster,
        @Nullable Double cpu,
        @Nullable Double targetMean,
        @Nullable Double scaleInLow,
        @Nullable String idleWindow,
        @Nullable String sustain,
        @Nullable String cooldownAfterOut,
        @Nullable String cooldownAfterIn,
        @Nullable String forecastHorizon,
        @Nullable String growthWindow,
        @Nullable String staleAfter) {

    /** The largest cluster the defaults let a cluster grow to (a policy may allow more). */
    static final int DEFAULT_MAX_MASTERS = 12;

    static PolicySettings none() {
        return new PolicySettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    /**
     * The policy these settings give a cluster created with {@code requested} masters: by default it never goes
     * below the masters it was created with, and grows to at most {@link #DEFAULT_MAX_MASTERS} (or the minimum).
     */
    Policy apply(int requested) {
        int min = minMasters != null ? minMasters : Math.max(1, requested);
        if (minMasters == null && maxMasters != null && maxMasters < min) {
            throw MonitorException.invalid("maxMasters (%d) is below the %d masters the cluster was created with, "
                    + "its minimum by default: set minMasters too", maxMasters, min);
        }
        Policy.Builder b = Policy.builder().minMasters(min)
                .maxMasters(maxMasters != null ? maxMasters : Math.max(DEFAULT_MAX_MASTERS, min));
        if (scaleOutMean != null) {
            b.scaleOutMean(scaleOutMean);
        }
        if (scaleOutAny != null) {
            b.scaleOutAny(scaleOutAny);
        }
        b.opsPerMaster(opsPerMaster).cpu(cpu);
        if (targetMean != null) {
            b.targetMean(targetMean);
        }
        if (scaleInLow != null) {
            b.scaleInLow(scaleInLow);
        }
        if (idleWindow != null) {
            b.idleWindow(Durations.parse("idleWindow", idleWindow));
        }
        if (sustain != null) {
            b.sustain(Durations.parse("sustain", sustain));
        }
        if (cooldownAfterOut != null) {
            b.cooldownAfterOut(Durations.parse("cooldownAfterOut", cooldownAfterOut));
        }
        if (cooldownAfterIn != null) {
            b.cooldownAfterIn(Durations.parse("cooldownAfterIn", cooldownAfterIn));
        }
        if (forecastHorizon != null) {
            b.forecastHorizon(Durations.parse("forecastHorizon", forecastHorizon));
        }
        if (growthWindow != null) {
            b.growthWindow(Durations.parse("growthWindow", growthWindow));
        }
        if (staleAfter != null) {
            b.staleAfter(Durations.parse("staleAfter", staleAfter));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw MonitorException.invalid("%s", e.getMessage());
        }
    }

    /** Every field of {@code p}, as the API shows an effective policy. */
    static PolicySettings of(Policy p) {
        return new PolicySettings(p.minMasters(), p.maxMasters(), p.scaleOutMean(), p.scaleOutAny(), p.opsPerMaster(),
                p.cpu(), p.targetMean(), p.scaleInLow(), Durations.format(p.idleWindow()),
                Durations.format(p.sustain()), Durations.format(p.cooldownAfterOut()),
                Durations.format(p.cooldownAfterIn()), Durations.format(p.forecastHorizon()),
                Durations.format(p.growthWindow()), Durations.format(p.staleAfter()));
    }
}
