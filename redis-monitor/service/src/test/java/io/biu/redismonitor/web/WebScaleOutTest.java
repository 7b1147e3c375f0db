package io.biu.redismonitor.web;

import static io.biu.redismonitor.web.WebFixtures.DEFAULTS;
import static io.biu.redismonitor.web.WebFixtures.SUSTAIN_ROUNDS;
import static io.biu.redismonitor.web.WebFixtures.assertHold;
import static io.biu.redismonitor.web.WebFixtures.assertScales;
import static io.biu.redismonitor.web.WebFixtures.decide;
import static io.biu.redismonitor.web.WebFixtures.next;
import static io.biu.redismonitor.web.WebFixtures.policy;
import static io.biu.redismonitor.web.WebFixtures.series;
import static io.biu.redismonitor.web.WebFixtures.steady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Scale-out on the request rate (defaults: 100 requests/s a container, out at 100% for 30 s): how many, when. */
class WebScaleOutTest {

    /** Rounds enough for a run to have held for the default sustain. */
    private static final int SUSTAINED = SUSTAIN_ROUNDS + 1;

    @Test
    void scalesOutOnlyOnceTheRateHasHeldAtOrAboveTheLineForSustain() {
        RateWindow window = series(150, 150, 250, 250, 250);
        WebDecision hold = assertHold("not-sustained", decide(window, DEFAULTS, 2));
        assertEquals(250, hold.rps());
        assertTrue(hold.closeCall());
        WebDecision out = assertScales(3, "load-high", decide(next(window, 250), DEFAULTS, 2));
        assertEquals(2, out.current());
        assertEquals(250, out.rps());
        assertFalse(out.closeCall());
    }

    @Test
    void aDipBelowTheLineRestartsTheSustainClock() {
        RateWindow window = series(250, 250, 250, 199, 250, 250, 250);
        assertHold("not-sustained", decide(window, DEFAULTS, 2));
        assertScales(3, "load-high", decide(next(window, 250), DEFAULTS, 2));
    }

    @Test
    void withoutSustainScalesOutOnTheFirstRateOverTheLine() {
        WebPolicy immediate = policy().sustain(Duration.ZERO).build();
        assertScales(3, "load-high", decide(series(150, 201), immediate, 2));
        assertHold("within-bounds", decide(series(150, 199), immediate, 2));
    }

    @Test
    void scalesOutToEnoughContainersToBringEachToTheTarget() {
        assertScales(3, "load-high", decide(steady(201, SUSTAINED), DEFAULTS, 2));
        assertScales(3, "load-high", decide(steady(300, SUSTAINED), DEFAULTS, 2));
        assertScales(4, "load-high", decide(steady(300.5, SUSTAINED), DEFAULTS, 2));
        assertScales(11, "load-high", decide(steady(1001, SUSTAINED), DEFAULTS, 2));
        assertScales(10, "load-high", decide(steady(950, SUSTAINED), DEFAULTS, 4));
        assertScales(4, "load-high", decide(steady(1000, SUSTAINED), policy().targetRps(250).build(), 2));
    }

    @Test
    void aRateExactlyOnTheLineAddsAContainerOnceSustained() {
        WebDecision out = assertScales(3, "load-high", decide(steady(200, SUSTAINED), DEFAULTS, 2));
        assertEquals(200, out.rps());
        assertFalse(out.closeCall());
        assertScales(9, "load-high", decide(steady(800, SUSTAINED), DEFAULTS, 8));
        assertScales(20, "load-high", decide(steady(1900, SUSTAINED), DEFAULTS, 19));
        WebDecision waiting = assertHold("not-sustained", decide(steady(200, SUSTAIN_ROUNDS), DEFAULTS, 2));
        assertTrue(waiting.closeCall());
    }

    /** ceil(rps / targetRps) containers would not be more than the app has: a sustained high rate adds one anyway. */
    @Test
    void aSustainedHighRateAlwaysAddsAtLeastOneContainer() {
        // under a scale-out ratio of 0.8, the line at 4 containers is 320 requests/s, and ceil(350 / 100) is only 4
        WebPolicy early = policy().ratios(0.8, 0.4).build();
        assertScales(5, "load-high", decide(steady(350, SUSTAINED), early, 4));
        assertScales(5, "load-high", decide(steady(320, SUSTAINED), early, 4));
        assertHold("within-bounds", decide(steady(319, SUSTAINED), early, 4));
        // the line at 10 containers is 500 requests/s; ceil(520 / 100) = 6 is fewer than the 10 the app has
        WebPolicy half = policy().ratios(0.5, 0.2).build();
        WebDecision out = assertScales(11, "load-high", decide(steady(520, SUSTAINED), half, 10));
        assertEquals(10, out.current());
        assertFalse(out.closeCall());
        // when the target needs more than one more, the target still decides
        assertScales(9, "load-high", decide(steady(850, SUSTAINED), early, 4));
    }

    @Test
    void theOneMoreContainerStillWaitsForSustainAndTheCooldown() {
        WebPolicy early = policy().ratios(0.8, 0.4).build();
        assertHold("not-sustained", decide(steady(350, SUSTAIN_ROUNDS), early, 4));
        assertHold("cooldown", decide(steady(350, SUSTAINED), early, 4, Duration.ofSeconds(59), null));
        assertScales(5, "load-high", decide(steady(350, SUSTAINED), early, 4, Duration.ofSeconds(60), null));
    }

    @Test
    void theOneMoreContainerStopsAtTheMaximum() {
        WebPolicy early = policy().ratios(0.8, 0.4).containers(2, 6).build();
        // ceil(500 / 100) = 5: only the one more container asks for the sixth, and then a seventh
        assertScales(6, "load-high", decide(steady(500, SUSTAINED), early, 5));
        WebDecision top = assertHold("at-maximum", decide(steady(500, SUSTAINED), early, 6));
        assertTrue(top.closeCall());
        assertHold("at-maximum", decide(steady(200, SUSTAINED), policy().containers(2, 2).build(), 2));
    }

    @Test
    void neverScalesOutPastTheMaximum() {
        assertScales(20, "load-high", decide(steady(5000, SUSTAINED), DEFAULTS, 4));
        assertScales(6, "load-high", decide(steady(5000, SUSTAINED), policy().containers(2, 6).build(), 4));
    }

    @Test
    void atTheMaximumAHighRateHoldsAsACloseCall() {
        WebDecision hold = assertHold("at-maximum", decide(steady(5000, SUSTAINED), DEFAULTS, 20));
        assertTrue(hold.closeCall());
        assertEquals(5000, hold.rps());
        assertHold("at-maximum", decide(steady(700, 1), policy().containers(2, 6).build(), 6));
    }

    @Test
    void aScaleOutCoolsDownBeforeTheNextOne() {
        RateWindow window = steady(450, SUSTAINED);
        WebDecision cooling = assertHold("cooldown", decide(window, DEFAULTS, 3, Duration.ofSeconds(30), null));
        assertTrue(cooling.closeCall());
        assertHold("cooldown", decide(window, DEFAULTS, 3, Duration.ofSeconds(59), null));
        assertScales(5, "load-high", decide(window, DEFAULTS, 3, Duration.ofSeconds(60), null));
        WebPolicy slow = policy().cooldowns(Duration.ofMinutes(10), Duration.ofMinutes(3)).build();
        assertHold("cooldown", decide(window, slow, 3, Duration.ofMinutes(9), null));
    }

    @Test
    void aRecentScaleInDoesNotHoldBackAScaleOut() {
        assertScales(5, "load-high", decide(steady(450, SUSTAINED), DEFAULTS, 3, null, Duration.ZERO));
    }

    @Test
    void theSustainClockIsCheckedBeforeTheCooldown() {
        assertHold("not-sustained", decide(steady(450, 2), DEFAULTS, 3, Duration.ZERO, null));
    }

    @Test
    void aScaleOutRatioAboveOneWaitsLongerButStillAimsAtTheTarget() {
        WebPolicy late = policy().ratios(1.5, 0.5).build();
        assertHold("within-bounds", decide(steady(290, SUSTAINED), late, 2));
        assertScales(3, "load-high", decide(steady(300, SUSTAINED), late, 2));
        assertScales(5, "load-high", decide(steady(450, SUSTAINED), late, 3));
    }
}
