package io.biu.redismonitor.web;

import static io.biu.redismonitor.web.WebFixtures.DEFAULTS;
import static io.biu.redismonitor.web.WebFixtures.IDLE_ROUNDS;
import static io.biu.redismonitor.web.WebFixtures.assertHold;
import static io.biu.redismonitor.web.WebFixtures.assertScales;
import static io.biu.redismonitor.web.WebFixtures.decide;
import static io.biu.redismonitor.web.WebFixtures.next;
import static io.biu.redismonitor.web.WebFixtures.policy;
import static io.biu.redismonitor.web.WebFixtures.steady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Scale-in on the request rate (defaults: under 50% of 100 requests/s a container for 5 minutes): one container at a
 * time, never below the minimum nor over the scale-out line, and after the cooldowns.
 */
class WebScaleInTest {

    /** Rounds enough for a run to have held for the default idle window. */
    private static final int IDLE = IDLE_ROUNDS + 1;

    @Test
    void scalesInOnlyAfterTheWholeIdleWindow() {
        RateWindow window = steady(150, IDLE_ROUNDS);
        WebDecision hold = assertHold("within-bounds", decide(window, DEFAULTS, 4));
        assertFalse(hold.closeCall());
        WebDecision in = assertScales(3, "load-low", decide(next(window, 150), DEFAULTS, 4));
        assertEquals(4, in.current());
        assertEquals(150, in.rps());
        assertFalse(in.closeCall());
    }

    @Test
    void oneBusyRateRestartsTheIdleWindow() {
        RateWindow window = next(next(steady(150, IDLE), 200), 150);
        assertHold("within-bounds", decide(window, DEFAULTS, 4));
    }

    @Test
    void removesOneContainerAtATimeHoweverIdle() {
        assertScales(9, "load-low", decide(steady(0, IDLE), DEFAULTS, 10));
        assertScales(19, "load-low", decide(steady(10, IDLE), DEFAULTS, 20));
    }

    @Test
    void neverScalesInBelowTheMinimum() {
        assertHold("within-bounds", decide(steady(0, 2 * IDLE), DEFAULTS, 2));
        assertHold("within-bounds", decide(steady(0, 2 * IDLE), policy().containers(3, 10).build(), 3));
        assertScales(1, "load-low", decide(steady(0, IDLE), policy().containers(1, 10).build(), 2));
    }

    @Test
    void holdsWhenOneContainerFewerWouldBeOverTheScaleOutLine() {
        WebPolicy close = policy().ratios(1.0, 0.9).build();
        WebDecision hold = assertHold("removal-would-overload", decide(steady(250, IDLE), close, 3));
        assertEquals(250, hold.rps());
        assertFalse(hold.closeCall());
        assertHold("removal-would-overload", decide(steady(200, IDLE), close, 3));
        assertScales(2, "load-low", decide(steady(190, IDLE), close, 3));
        assertHold("removal-would-overload", decide(steady(250, IDLE), close, 3, null, Duration.ZERO));
    }

    @Test
    void aScaleInCoolsDownBeforeTheNextOne() {
        RateWindow window = steady(150, IDLE);
        assertHold("cooldown", decide(window, DEFAULTS, 4, null, Duration.ofMinutes(2)));
        assertHold("cooldown", decide(window, DEFAULTS, 4, null, Duration.ofSeconds(179)));
        assertScales(3, "load-low", decide(window, DEFAULTS, 4, null, Duration.ofMinutes(3)));
    }

    @Test
    void noScaleInWithinTheCooldownAfterAScaleOut() {
        RateWindow window = steady(150, IDLE);
        assertHold("cooldown", decide(window, DEFAULTS, 4, Duration.ofSeconds(30), null));
        assertHold("cooldown", decide(window, DEFAULTS, 4, Duration.ofSeconds(59), Duration.ofHours(1)));
        assertScales(3, "load-low", decide(window, DEFAULTS, 4, Duration.ofMinutes(1), null));
    }

    @Test
    void aShorterIdleWindowScalesInSooner() {
        WebPolicy eager = policy().idleWindow(Duration.ofMinutes(1)).build();
        assertScales(3, "load-low", decide(steady(150, 7), eager, 4));
        assertHold("within-bounds", decide(steady(150, 6), eager, 4));
    }
}
