package io.biu.redismonitor.web;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The web tier's policy as a pure function of the app's rate window, its policy and its context.
 *
 * <p>In order: outside [min, max] it is brought back inside ({@code below-minimum}, {@code above-maximum}); without a
 * fresh rate it holds ({@code no-data}); when the rate per container has held at or above the scale-out line for
 * {@code sustain} it grows to {@code ceil(rps / targetRps)} containers (at least one more) ({@code load-high}), unless a scale-out
 * completed within {@code cooldownAfterOut} ({@code cooldown}); when it has held below the scale-in line for
 * {@code idleWindow} it loses one container ({@code load-low}), unless that would put it over the scale-out line
 * ({@code removal-would-overload}) or a cooldown holds; otherwise {@code within-bounds}.
 */
public final class WebDecider {

    static final double CLOSE_CALL_MARGIN = 0.10;

    private WebDecider() {
    }

    /**
     * @param containers the app's live containers now
     * @param lastScaleOut when the last scale-out was made, or null
     * @param lastScaleIn when the last scale-in was made, or null
     */
    public static WebDecision decide(RateWindow window, WebPolicy policy, int containers, Instant now,
            Instant lastScaleOut, Instant lastScaleIn) {
        Optional<RateWindow.Rate> latest = window.latest()
                .filter(r -> !r.at().isBefore(now.minus(policy.staleAfter())));
        double rps = latest.map(RateWindow.Rate::rps).orElse(0.0);
        if (containers < policy.minContainers()) {
            return new WebDecision(policy.minContainers(), "below-minimum", rps, containers, false);
        }
        if (containers > policy.maxContainers()) {
            return new WebDecision(policy.maxContainers(), "above-maximum", rps, containers, false);
        }
        if (latest.isEmpty()) {
            return new WebDecision(containers, "no-data", 0, containers, false);
        }
        double outLine = policy.targetRps() * policy.scaleOutRatio() * containers;
        double inLine = policy.targetRps() * policy.scaleInRatio() * containers;
        boolean recentOut = within(lastScaleOut, policy.cooldownAfterOut(), now);
        Optional<Duration> high = window.heldFor(r -> r >= outLine);
        if (high.isPresent()) {
            int wanted = Math.min(policy.maxContainers(), Math.max(containers + 1,
                    (int) Math.ceil(rps / policy.targetRps())));
            if (wanted <= containers) {
                return new WebDecision(containers, "at-maximum", rps, containers, true);
            }
            if (high.get().compareTo(policy.sustain()) < 0) {
                return new WebDecision(containers, "not-sustained", rps, containers, true);
            }
            if (recentOut) {
                return new WebDecision(containers, "cooldown", rps, containers, true);
            }
            return new WebDecision(wanted, "load-high", rps, containers, false);
        }
        Optional<Duration> low = window.heldFor(r -> r < inLine);
        if (low.isPresent() && low.get().compareTo(policy.idleWindow()) >= 0 && containers > policy.minContainers()) {
            if (rps >= policy.targetRps() * policy.scaleOutRatio() * (containers - 1)) {
                return new WebDecision(containers, "removal-would-overload", rps, containers, false);
            }
            if (recentOut || within(lastScaleIn, policy.cooldownAfterIn(), now)) {
                return new WebDecision(containers, "cooldown", rps, containers, false);
            }
            return new WebDecision(containers - 1, "load-low", rps, containers, false);
        }
        return new WebDecision(containers, "within-bounds", rps, containers, rps >= outLine * (1 - CLOSE_CALL_MARGIN));
    }

    private static boolean within(Instant last, Duration cooldown, Instant now) {
        return last != null && now.isBefore(last.plus(cooldown));
    }
}
