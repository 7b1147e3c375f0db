package io.biu.redismonitor.web;

import static io.biu.redismonitor.web.WebFixtures.DEFAULTS;
import static io.biu.redismonitor.web.WebFixtures.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redismonitor.web.SimulatedWebApp.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Scenarios run through time: synthetic request rates fed round by round to a {@link SimulatedWebApp}, and assertions
 * on the scalings that follow.
 */
class WebSimulationTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    /** Rounds of 10 s in a minute and in an hour. */
    private static final int MINUTE = 6;
    private static final int HOUR = 360;

    private static double alternate(int round, double even, double odd) {
        return round % 2 == 0 ? even : odd;
    }

    /**
     * No scaling within the cooldowns the decider was given: scale-outs spaced by {@code cooldownAfterOut}, scale-ins
     * that far from the last scale-out and {@code cooldownAfterIn} from the last scale-in.
     */
    private static void assertCooldownsKept(SimulatedWebApp app, WebPolicy policy) {
        Instant lastOut = null;
        Instant lastIn = null;
        for (Step action : app.actions()) {
            if (lastOut != null) {
                assertTrue(!action.at().isBefore(lastOut.plus(policy.cooldownAfterOut())),
                        action + " within " + policy.cooldownAfterOut() + " of the scale-out at " + lastOut);
            }
            if (action.isIn() && lastIn != null) {
                assertTrue(!action.at().isBefore(lastIn.plus(policy.cooldownAfterIn())),
                        action + " within " + policy.cooldownAfterIn() + " of the scale-in at " + lastIn);
            }
            if (action.isOut()) {
                lastOut = action.at();
            } else {
                lastIn = action.at();
            }
        }
    }

    private static void assertWithinBoundsAndOneAtATimeIn(SimulatedWebApp app, WebPolicy policy) {
        for (Step action : app.actions()) {
            int after = action.decision().containers();
            assertTrue(after >= policy.minContainers() && after <= policy.maxContainers(), action.toString());
            if (action.isIn()) {
                assertEquals(action.decision().current() - 1, after, "one container at a time: " + action);
            }
        }
    }

    @Test
    void aRampAHoldAndADropAreFollowedWithinTheCooldowns() {
        // 100 -> 1500 requests/s over 10 minutes, 1500 for 30 minutes, then 120 for an hour
        int rampEnd = 10 * MINUTE;
        int holdEnd = rampEnd + 30 * MINUTE;
        SimulatedWebApp app = new SimulatedWebApp(DEFAULTS, 2, TEN_SECONDS).run(holdEnd + HOUR,
                round -> round < rampEnd ? 100 + 1400.0 * round / rampEnd : round < holdEnd ? 1500 : 120);
        List<Step> steps = app.steps();

        assertTrue(app.actions().stream().filter(step -> step.round() < holdEnd).allMatch(Step::isOut),
                "no scale-in while the load grows or holds: " + app.actions());
        // 1500 requests/s needs 15 containers of 100, but at 15 the rate is exactly on the scale-out line (ratio 1.0),
        // and a sustained rate on the line adds one more: 16, where the line (1600) is above the rate
        assertEquals(16, steps.get(holdEnd - 1).decision().containers(), "1500 requests/s, on the line at 15");
        Step lastOut = app.actions().stream().filter(Step::isOut).reduce((a, b) -> b).orElseThrow();
        assertEquals(15, lastOut.decision().current(), lastOut.toString());
        assertEquals(16, lastOut.decision().containers(), lastOut.toString());
        assertEquals(1500, lastOut.decision().rps(), lastOut.toString());
        for (Step step : steps.subList(rampEnd + 2 * MINUTE, holdEnd)) {
            assertTrue(step.decision().rps() <= DEFAULTS.targetRps() * step.decision().current(),
                    "the hold is served within the target: " + step);
        }
        assertTrue(app.actions().stream().filter(step -> step.round() >= holdEnd).allMatch(Step::isIn),
                "the drop only scales in: " + app.actions());
        assertEquals(16 - 2, app.actions().stream().filter(Step::isIn).count(), "16 down to the minimum, one at a time");
        Step firstIn = app.actions().stream().filter(Step::isIn).findFirst().orElseThrow();
        assertEquals(holdEnd + 5 * MINUTE, firstIn.round(), "the first scale-in waits out the idle window");
        assertEquals(2, app.containers(), "back to ceil(120 / 100) containers, the minimum");
        assertCooldownsKept(app, DEFAULTS);
        assertWithinBoundsAndOneAtATimeIn(app, DEFAULTS);
    }

    @Test
    void aRateFlappingAcrossTheLineEverySampleNeverScales() {
        SimulatedWebApp app = new SimulatedWebApp(DEFAULTS, 2, TEN_SECONDS)
                .run(2 * HOUR, round -> alternate(round, 150, 250));
        assertEquals(List.of(), app.actions());
        assertTrue(app.steps().stream().filter(step -> step.decision().rps() == 250)
                .allMatch(step -> step.decision().reason().equals("not-sustained") && step.decision().closeCall()));

        SimulatedWebApp wide = new SimulatedWebApp(DEFAULTS, 4, TEN_SECONDS)
                .run(2 * HOUR, round -> alternate(round, 50, 450));
        assertEquals(List.of(), wide.actions(), "crossing both lines every sample is neither busy nor idle");
    }

    @Test
    void withoutSustainAFlappingRateScalesOutOnceAndThenSettles() {
        WebPolicy immediate = policy().sustain(Duration.ZERO).build();
        SimulatedWebApp app = new SimulatedWebApp(immediate, 2, TEN_SECONDS)
                .run(2 * HOUR, round -> alternate(round, 150, 250));
        assertEquals(1, app.actions().size(), app.actions().toString());
        assertEquals(3, app.containers());
    }

    @Test
    void noisyLoadJustUnderTheLineScalesOutAtMostOnceAndNeverBackIn() {
        Random random = new Random(42);
        double[] rps = new double[2 * HOUR];
        for (int i = 0; i < rps.length; i++) {
            rps[i] = 400 * (0.85 + 0.2 * random.nextDouble());
        }
        SimulatedWebApp app = new SimulatedWebApp(DEFAULTS, 4, TEN_SECONDS).run(rps.length, round -> rps[round]);
        assertTrue(app.actions().size() <= 1, app.actions().toString());
        assertTrue(app.actions().stream().allMatch(Step::isOut));
    }

    /**
     * Each rise to 800 requests/s scales out twice: after the 30 s sustain to ceil(800 / 100) = 8 containers, where 800
     * is exactly on the scale-out line, and so after the 1-minute cooldown to 9. Each fall to 100 then scales in from 9
     * to the minimum of 2, one container every 3 minutes once the rate has been idle for 5 minutes.
     */
    @Test
    void aSlowSquareWaveIsFollowedWithoutFlapping() {
        int periods = 3;
        int half = 30 * MINUTE;
        SimulatedWebApp app = new SimulatedWebApp(DEFAULTS, 2, TEN_SECONDS)
                .run(periods * 2 * half, round -> (round / half) % 2 == 0 ? 800 : 100);
        assertEquals(2 * periods, app.actions().stream().filter(Step::isOut).count(), app.actions().toString());
        assertEquals((9 - 2) * periods, app.actions().stream().filter(Step::isIn).count(), app.actions().toString());
        for (int period = 0; period < periods; period++) {
            int rise = period * 2 * half;
            List<Step> outs = app.actions().stream()
                    .filter(step -> step.isOut() && step.round() >= rise && step.round() < rise + half).toList();
            assertEquals(2, outs.size(), outs.toString());
            assertEquals(rise + 3, outs.get(0).round(), "after the sustain: " + outs);
            assertEquals(2, outs.get(0).decision().current(), outs.toString());
            assertEquals(8, outs.get(0).decision().containers(), outs.toString());
            assertEquals(rise + 3 + MINUTE, outs.get(1).round(), "after the cooldown: " + outs);
            assertEquals(9, outs.get(1).decision().containers(), outs.toString());
            Step firstIn = app.actions().stream().filter(step -> step.isIn() && step.round() >= rise + half)
                    .findFirst().orElseThrow();
            assertEquals(rise + half + 5 * MINUTE, firstIn.round(), "after the idle window: " + firstIn);
        }
        for (Step step : app.steps()) {
            if (step.round() % half == half - 1) {
                assertEquals(step.round() / half % 2 == 0 ? 9 : 2, step.decision().containers(),
                        "the app has caught up by the end of each phase: " + step);
            }
        }
        assertCooldownsKept(app, DEFAULTS);
        assertWithinBoundsAndOneAtATimeIn(app, DEFAULTS);
    }

    /**
     * Under a scale-out ratio below 1 the target count is reached while the rate is still over the line: one more
     * container each cooldown, until the line is above the rate (800 requests/s, line at 80 a container: 11).
     */
    @Test
    void aScaleOutRatioBelowOneAddsAContainerEachCooldownUntilUnderTheLine() {
        WebPolicy early = policy().ratios(0.8, 0.4).build();
        SimulatedWebApp app = new SimulatedWebApp(early, 8, TEN_SECONDS).run(HOUR, round -> 800);
        assertEquals(List.of(3, 3 + MINUTE, 3 + 2 * MINUTE),
                app.actions().stream().map(Step::round).toList(), app.actions().toString());
        assertEquals(List.of(9, 10, 11), app.actions().stream().map(step -> step.decision().containers()).toList());
        assertTrue(app.actions().stream().allMatch(step -> step.decision().reason().equals("load-high")));
        assertEquals(11, app.containers(), "800 < 0.8 * 100 * 11, but 800 >= 0.8 * 100 * 10");
        assertCooldownsKept(app, early);
    }

    /** A steady rate exactly on the line (default ratio 1.0) settles one container above the target count. */
    @Test
    void aSteadyRateOnTheLineSettlesOneContainerAbove() {
        SimulatedWebApp app = new SimulatedWebApp(DEFAULTS, 4, TEN_SECONDS).run(HOUR, round -> 400);
        assertEquals(1, app.actions().size(), app.actions().toString());
        assertEquals(3, app.actions().get(0).round(), "after the 30 s sustain");
        assertEquals(5, app.containers());
        assertTrue(app.steps().subList(4, HOUR).stream()
                .allMatch(step -> step.decision().reason().equals("within-bounds") && !step.decision().closeCall()),
                "400 at 5 containers is under the line (500) and more than 10% under it");
    }
}
