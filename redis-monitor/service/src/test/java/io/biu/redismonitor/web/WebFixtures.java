package io.biu.redismonitor.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Synthetic request rates, one every 10 seconds from {@link #T0}, a policy builder starting from the defaults (two to
 * twenty containers of 100 requests/s), and assertions on decisions.
 */
final class WebFixtures {

    static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");
    static final Duration STEP = Duration.ofSeconds(10);
    static final WebPolicy DEFAULTS = WebPolicy.defaults();
    /** Rounds of 10 s in the default sustain (30 s): a run of this many rounds plus one has held for it. */
    static final int SUSTAIN_ROUNDS = 3;
    /** Rounds of 10 s in the default idle window (5 minutes). */
    static final int IDLE_ROUNDS = 30;

    private WebFixtures() {
    }

    static Instant at(int round) {
        return T0.plus(STEP.multipliedBy(round));
    }

    /** A window of rounds 0, 1, 2... at the given rates, long enough for any policy used here. */
    static RateWindow series(double... rps) {
        RateWindow window = RateWindow.empty(Duration.ofHours(1));
        for (int i = 0; i < rps.length; i++) {
            window = window.with(new RateWindow.Rate(at(i), rps[i]));
        }
        return window;
    }

    /** {@code rounds} rounds at one rate. */
    static RateWindow steady(double rps, int rounds) {
        double[] rates = new double[rounds];
        Arrays.fill(rates, rps);
        return series(rates);
    }

    /** {@code window} and one more round, 10 s after its newest, at {@code rps}. */
    static RateWindow next(RateWindow window, double rps) {
        return window.with(new RateWindow.Rate(now(window).plus(STEP), rps));
    }

    static Instant now(RateWindow window) {
        return window.latest().orElseThrow().at();
    }

    /** The decision at the window's newest rate, with no scaling made before. */
    static WebDecision decide(RateWindow window, WebPolicy policy, int containers) {
        return WebDecider.decide(window, policy, containers, now(window), null, null);
    }

    /** The decision at the window's newest rate, the last scale-out and scale-in made that long before (or never). */
    static WebDecision decide(RateWindow window, WebPolicy policy, int containers, Duration sinceOut,
            Duration sinceIn) {
        Instant now = now(window);
        return WebDecider.decide(window, policy, containers, now, sinceOut == null ? null : now.minus(sinceOut),
                sinceIn == null ? null : now.minus(sinceIn));
    }

    static WebDecision assertHold(String reason, WebDecision decision) {
        assertFalse(decision.scales(), decision.toString());
        assertEquals(reason, decision.reason(), decision.toString());
        assertEquals(decision.current(), decision.containers(), decision.toString());
        return decision;
    }

    static WebDecision assertScales(int to, String reason, WebDecision decision) {
        assertTrue(decision.scales(), decision.toString());
        assertEquals(reason, decision.reason(), decision.toString());
        assertEquals(to, decision.containers(), decision.toString());
        return decision;
    }

    static PolicyBuilder policy() {
        return new PolicyBuilder();
    }

    /** A {@link WebPolicy} with some of its defaults changed. */
    static final class PolicyBuilder {

        private int min = DEFAULTS.minContainers();
        private int max = DEFAULTS.maxContainers();
        private double targetRps = DEFAULTS.targetRps();
        private double scaleOutRatio = DEFAULTS.scaleOutRatio();
        private double scaleInRatio = DEFAULTS.scaleInRatio();
        private Duration sustain = DEFAULTS.sustain();
        private Duration idleWindow = DEFAULTS.idleWindow();
        private Duration cooldownAfterOut = DEFAULTS.cooldownAfterOut();
        private Duration cooldownAfterIn = DEFAULTS.cooldownAfterIn();
        private Duration staleAfter = DEFAULTS.staleAfter();

        PolicyBuilder containers(int min, int max) {
            this.min = min;
            this.max = max;
            return this;
        }

        PolicyBuilder targetRps(double targetRps) {
            this.targetRps = targetRps;
            return this;
        }

        PolicyBuilder ratios(double scaleOut, double scaleIn) {
            this.scaleOutRatio = scaleOut;
            this.scaleInRatio = scaleIn;
            return this;
        }

        PolicyBuilder sustain(Duration sustain) {
            this.sustain = sustain;
            return this;
        }

        PolicyBuilder idleWindow(Duration idleWindow) {
            this.idleWindow = idleWindow;
            return this;
        }

        PolicyBuilder cooldowns(Duration afterOut, Duration afterIn) {
            this.cooldownAfterOut = afterOut;
            this.cooldownAfterIn = afterIn;
            return this;
        }

        PolicyBuilder staleAfter(Duration staleAfter) {
            this.staleAfter = staleAfter;
            return this;
        }

        WebPolicy build() {
            return new WebPolicy(min, max, targetRps, scaleOutRatio, scaleInRatio, sustain, idleWindow,
                    cooldownAfterOut, cooldownAfterIn, staleAfter);
        }
    }
}
