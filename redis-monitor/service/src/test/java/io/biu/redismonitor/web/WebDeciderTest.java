package io.biu.redismonitor.web;

import static io.biu.redismonitor.web.WebFixtures.DEFAULTS;
import static io.biu.redismonitor.web.WebFixtures.T0;
import static io.biu.redismonitor.web.WebFixtures.assertHold;
import static io.biu.redismonitor.web.WebFixtures.assertScales;
import static io.biu.redismonitor.web.WebFixtures.decide;
import static io.biu.redismonitor.web.WebFixtures.now;
import static io.biu.redismonitor.web.WebFixtures.policy;
import static io.biu.redismonitor.web.WebFixtures.steady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Bounds first, then data, then holds and their close calls: the decider's rules besides scaling on load. */
class WebDeciderTest {

    private static final Duration HOUR = Duration.ofHours(1);

    // bounds

    @Test
    void belowTheMinimumIsRaisedToTheMinimumBeforeAnythingElse() {
        WebDecision idle = assertScales(2, "below-minimum", decide(steady(10, 40), DEFAULTS, 1));
        assertEquals(1, idle.current());
        assertEquals(10, idle.rps());
        assertFalse(idle.closeCall());
        assertScales(2, "below-minimum", WebDecider.decide(RateWindow.empty(HOUR), DEFAULTS, 0, T0, null, null));
        assertScales(2, "below-minimum", decide(steady(10, 40), DEFAULTS, 1, Duration.ZERO, Duration.ZERO));
        assertScales(5, "below-minimum", decide(steady(450, 4), policy().containers(5, 10).build(), 3));
    }

    @Test
    void aboveTheMaximumIsBroughtDownToTheMaximumBeforeAnythingElse() {
        WebDecision busy = assertScales(20, "above-maximum", decide(steady(5000, 4), DEFAULTS, 25));
        assertEquals(5000, busy.rps());
        assertEquals(25, busy.current());
        assertScales(20, "above-maximum", WebDecider.decide(RateWindow.empty(HOUR), DEFAULTS, 21, T0, null, null));
        assertScales(6, "above-maximum", decide(steady(100, 1), policy().containers(2, 6).build(), 9,
                Duration.ZERO, Duration.ZERO));
    }

    // no data

    @Test
    void holdsWithoutDataWhenTheWindowIsEmpty() {
        WebDecision decision = assertHold("no-data",
                WebDecider.decide(RateWindow.empty(HOUR), DEFAULTS, 4, T0, null, null));
        assertEquals(4, decision.containers());
        assertEquals(0, decision.rps());
        assertFalse(decision.closeCall());
    }

    @Test
    void holdsWithoutDataWhenTheNewestRateIsStale() {
        RateWindow window = steady(500, 10);
        Instant latest = now(window);
        WebDecision stale = assertHold("no-data",
                WebDecider.decide(window, DEFAULTS, 2, latest.plusSeconds(61), null, null));
        assertEquals(0, stale.rps(), "a stale rate is no rate");
        assertScales(5, "load-high", WebDecider.decide(window, DEFAULTS, 2, latest.plusSeconds(60), null, null));
        assertHold("no-data", WebDecider.decide(window, policy().staleAfter(Duration.ofSeconds(5)).build(), 2,
                latest.plusSeconds(6), null, null));
    }

    // holds and close calls

    @Test
    void holdsWithinBoundsBetweenTheLines() {
        WebDecision hold = assertHold("within-bounds", decide(steady(150, 40), DEFAULTS, 2));
        assertEquals(150, hold.rps());
        assertFalse(hold.closeCall());
        assertHold("within-bounds", decide(steady(250, 40), DEFAULTS, 4));
    }

    @Test
    void aHoldWithinTenPercentUnderTheScaleOutLineIsACloseCall() {
        assertTrue(assertHold("within-bounds", decide(steady(199, 40), DEFAULTS, 2)).closeCall());
        assertTrue(assertHold("within-bounds", decide(steady(185, 40), DEFAULTS, 2)).closeCall());
        assertTrue(assertHold("within-bounds", decide(steady(180, 40), DEFAULTS, 2)).closeCall(), "exactly 10%");
        assertFalse(assertHold("within-bounds", decide(steady(179, 40), DEFAULTS, 2)).closeCall());
        assertTrue(assertHold("within-bounds", decide(steady(365, 40), DEFAULTS, 4)).closeCall());
        assertFalse(assertHold("within-bounds", decide(steady(355, 40), DEFAULTS, 4)).closeCall());
    }

    @Test
    void theCloseCallMarginFollowsTheScaleOutRatio() {
        WebPolicy policy = policy().ratios(1.5, 0.5).build();
        assertTrue(assertHold("within-bounds", decide(steady(270, 40), policy, 2)).closeCall());
        assertFalse(assertHold("within-bounds", decide(steady(260, 40), policy, 2)).closeCall());
    }

    @Test
    void aScalingIsNeverACloseCall() {
        assertFalse(decide(steady(5000, 4), DEFAULTS, 2).closeCall());
        assertFalse(decide(steady(0, 40), DEFAULTS, 5).closeCall());
    }
}
