package io.biu.redismonitor.web;

import io.biu.redismonitor.api.MonitorException;
import io.biu.redismonitor.scaling.Durations;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** A web policy as the API reads and writes it; a field left out takes its default (see {@link WebPolicy}). */
@Serdeable
public record WebPolicySettings(
        @Nullable Integer minContainers,
        @Nullable Integer maxContainers,
        @Nullable Double targetRps,
        @Nullable Double scaleOutRatio,
        @Nullable Double scaleInRatio,
        @Nullable String sustain,
        @Nullable String idleWindow,
        @Nullable String cooldownAfterOut,
        @Nullable String cooldownAfterIn,
        @Nullable String staleAfter) {

    WebPolicy apply() {
        WebPolicy d = WebPolicy.defaults();
        try {
            return new WebPolicy(minContainers != null ? minContainers : d.minContainers(),
                    maxContainers != null ? maxContainers : Math.max(d.maxContainers(),
                            minContainers != null ? minContainers : 0),
                    targetRps != null ? targetRps : d.targetRps(),
                    scaleOutRatio != null ? scaleOutRatio : d.scaleOutRatio(),
                    scaleInRatio != null ? scaleInRatio : d.scaleInRatio(),
                    sustain != null ? Durations.parse("sustain", sustain) : d.sustain(),
                    idleWindow != null ? Durations.parse("idleWindow", idleWindow) : d.idleWindow(),
                    cooldownAfterOut != null ? Durations.parse("cooldownAfterOut", cooldownAfterOut)
                            : d.cooldownAfterOut(),
                    cooldownAfterIn != null ? Durations.parse("cooldownAfterIn", cooldownAfterIn) : d.cooldownAfterIn(),
                    staleAfter != null ? Durations.parse("staleAfter", staleAfter) : d.staleAfter());
        } catch (IllegalArgumentException e) {
            throw MonitorException.invalid("%s", e.getMessage());
        }
    }

    static WebPolicySettings of(WebPolicy p) {
        return new WebPolicySettings(p.minContainers(), p.maxContainers(), p.targetRps(), p.scaleOutRatio(),
                p.scaleInRatio(), Durations.format(p.sustain()), Durations.format(p.idleWindow()),
                Durations.format(p.cooldownAfterOut()), Durations.format(p.cooldownAfterIn()),
                Durations.format(p.staleAfter()));
    }
}
