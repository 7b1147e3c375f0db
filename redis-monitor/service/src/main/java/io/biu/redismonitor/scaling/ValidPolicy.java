package io.biu.redismonitor.scaling;

import io.biu.redismonitor.api.MonitorError;
import io.biu.redismonitor.api.MonitorException;
import io.biu.redismonitor.client.PolicySettings;
import io.biu.redismonitor.policy.Policy;

/**
 * A tenant's {@link PolicySettings} checked and applied over the defaults: the {@link Policy} they give a cluster, or
 * a refusal that says what to fix; and a policy shown back as settings.
 */
final class ValidPolicy {

    /** The largest cluster the defaults let a cluster grow to (a policy may allow more). */
    static final int DEFAULT_MAX_MASTERS = 12;

    /** The settings of a tenant who chose nothing: every field takes its default. */
    static final PolicySettings NONE = new PolicySettings(null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null);

    private ValidPolicy() {
    }

    /**
     * The policy {@code settings} give a cluster created with {@code requested} masters: by default it never goes below
     * the masters it was created with, and grows to at most {@link #DEFAULT_MAX_MASTERS} (or the minimum).
     */
    static Policy of(PolicySettings settings, int requested) {
        Integer minMasters = settings.minMasters();
        Integer maxMasters = settings.maxMasters();
        int min = minMasters != null ? minMasters : Math.max(1, requested);
        if (minMasters == null && maxMasters != null && maxMasters < min) {
            throw MonitorException.invalid("maxMasters (%d) is below the %d masters the cluster was created with, "
                    + "its minimum by default: set minMasters too", maxMasters, min);
        }
        Policy.Builder b = Policy.builder().minMasters(min)
                .maxMasters(maxMasters != null ? maxMasters : Math.max(DEFAULT_MAX_MASTERS, min));
        if (settings.scaleOutMean() != null) {
            b.scaleOutMean(settings.scaleOutMean());
        }
        if (settings.scaleOutAny() != null) {
            b.scaleOutAny(settings.scaleOutAny());
        }
        b.opsPerMaster(settings.opsPerMaster()).cpu(settings.cpu());
        if (settings.targetMean() != null) {
            b.targetMean(settings.targetMean());
        }
        if (settings.scaleInLow() != null) {
            b.scaleInLow(settings.scaleInLow());
        }
        if (settings.idleWindow() != null) {
            b.idleWindow(Durations.parse("idleWindow", settings.idleWindow()));
        }
        if (settings.sustain() != null) {
            b.sustain(Durations.parse("sustain", settings.sustain()));
        }
        if (settings.cooldownAfterOut() != null) {
            b.cooldownAfterOut(Durations.parse("cooldownAfterOut", settings.cooldownAfterOut()));
        }
        if (settings.cooldownAfterIn() != null) {
            b.cooldownAfterIn(Durations.parse("cooldownAfterIn", settings.cooldownAfterIn()));
        }
        if (settings.forecastHorizon() != null) {
            b.forecastHorizon(Durations.parse("forecastHorizon", settings.forecastHorizon()));
        }
        if (settings.growthWindow() != null) {
            b.growthWindow(Durations.parse("growthWindow", settings.growthWindow()));
        }
        if (settings.staleAfter() != null) {
            b.staleAfter(Durations.parse("staleAfter", settings.staleAfter()));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new MonitorException(MonitorError.INVALID, e.getMessage());
        }
    }

    /** Every field of {@code p}, as the API shows an effective policy. */
    static PolicySettings settings(Policy p) {
        return new PolicySettings(p.minMasters(), p.maxMasters(), p.scaleOutMean(), p.scaleOutAny(), p.opsPerMaster(),
                p.cpu(), p.targetMean(), p.scaleInLow(), Durations.format(p.idleWindow()),
                Durations.format(p.sustain()), Durations.format(p.cooldownAfterOut()),
                Durations.format(p.cooldownAfterIn()), Durations.format(p.forecastHorizon()),
                Durations.format(p.growthWindow()), Durations.format(p.staleAfter()));
    }
}
