package io.biu.redismonitor.web;

import io.biu.redismonitor.api.MonitorError;
import io.biu.redismonitor.api.MonitorException;
import io.biu.redismonitor.client.WebPolicySettings;
import io.biu.redismonitor.scaling.Durations;

/**
 * A tenant's {@link WebPolicySettings} checked and applied over the defaults ({@link WebPolicy#defaults()}): the
 * {@link WebPolicy} they give, or a refusal that says what to fix; and a policy shown back as settings.
 */
final class ValidWebPolicy {

    private ValidWebPolicy() {
    }

    static WebPolicy of(WebPolicySettings s) {
        WebPolicy d = WebPolicy.defaults();
        try {
            return new WebPolicy(s.minContainers() != null ? s.minContainers() : d.minContainers(),
                    s.maxContainers() != null ? s.maxContainers() : Math.max(d.maxContainers(),
                            s.minContainers() != null ? s.minContainers() : 0),
                    s.targetRps() != null ? s.targetRps() : d.targetRps(),
                    s.scaleOutRatio() != null ? s.scaleOutRatio() : d.scaleOutRatio(),
                    s.scaleInRatio() != null ? s.scaleInRatio() : d.scaleInRatio(),
                    s.sustain() != null ? Durations.parse("sustain", s.sustain()) : d.sustain(),
                    s.idleWindow() != null ? Durations.parse("idleWindow", s.idleWindow()) : d.idleWindow(),
                    s.cooldownAfterOut() != null ? Durations.parse("cooldownAfterOut", s.cooldownAfterOut())
                            : d.cooldownAfterOut(),
                    s.cooldownAfterIn() != null ? Durations.parse("cooldownAfterIn", s.cooldownAfterIn())
                            : d.cooldownAfterIn(),
                    s.staleAfter() != null ? Durations.parse("staleAfter", s.staleAfter()) : d.staleAfter());
        } catch (IllegalArgumentException e) {
            throw new MonitorException(MonitorError.INVALID, e.getMessage());
        }
    }

    static WebPolicySettings settings(WebPolicy p) {
        return new WebPolicySettings(p.minContainers(), p.maxContainers(), p.targetRps(), p.scaleOutRatio(),
                p.scaleInRatio(), Durations.format(p.sustain()), Durations.format(p.idleWindow()),
                Durations.format(p.cooldownAfterOut()), Durations.format(p.cooldownAfterIn()),
                Durations.format(p.staleAfter()));
    }
}
