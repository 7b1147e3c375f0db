package io.biu.redismonitor.policy;

import static io.biu.redismonitor.policy.Decisions.DEFAULTS;
import static io.biu.redismonitor.policy.Decisions.assertHold;
import static io.biu.redismonitor.policy.Decisions.decide;
import static io.biu.redismonitor.policy.Decisions.load;
import static io.biu.redismonitor.policy.Decisions.rising;
import static io.biu.redismonitor.policy.Fixtures.GIB;
import static io.biu.redismonitor.policy.Fixtures.at;
import static io.biu.redismonitor.policy.Fixtures.immediate;
import static io.biu.redismonitor.policy.Fixtures.round;
import static io.biu.redismonitor.policy.Fixtures.steady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redismonitor.policy.Decision.Blocked;
import io.biu.redismonitor.policy.Decision.Hold;
import io.biu.redismonitor.policy.Decision.ScaleIn;
import io.biu.redismonitor.policy.Decision.ScaleOut;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** No data, close calls and the decisions themselves. */
class DeciderTest {

    // no data

    @Test
    void holdsWithoutDataWhenTheWindowIsEmpty() {
        Decision decision = Decider.decide(Window.empty(Duration.ofHours(1)), DEFAULTS,
                Fixtures.context(at(0), 4, null));
        Hold hold = assertHold(Reason.NO_DATA, null, decision);
        assertEquals(4, hold.numbers().masters());
        assertFalse(hold.closeCall());
    }

    @Test
    void holdsWithoutDataWhenTheLatestRoundIsStale() {
        Window window = steady(4, 0.95, 4);
        Instant latest = window.latest().orElseThrow().at();
        assertHold(Reason.NO_DATA, null, Decider.decide(window, DEFAULTS,
                Fixtures.context(latest.plusSeconds(61), 4, null)));
        assertInstanceOf(ScaleOut.class, Decider.decide(window, DEFAULTS,
                Fixtures.context(latest.plusSeconds(60), 4, null)));
    }

    @Test
    void holdsWithoutDataWhenTheLatestRoundCoversADifferentNumberOfMasters() {
        Window window = steady(4, 0.95, 4).with(round(at(4), 0.95, 0.95, 0.95));
        assertHold(Reason.NO_DATA, null, decide(window, DEFAULTS, 4));
        assertHold(Reason.NO_DATA, null, decide(steady(4, 0.95, 4), DEFAULTS, 5));
    }

    // close calls

    @Test
    void holdsNearAThresholdAreCloseCalls() {
        assertTrue(assertHold(Reason.WITHIN_BOUNDS, null, decide(steady(4, 0.73, 4), DEFAULTS, 4)).closeCall());
        assertFalse(assertHold(Reason.WITHIN_BOUNDS, null, decide(steady(4, 0.71, 4), DEFAULTS, 4)).closeCall());
        Window skewed = Window.empty(Duration.ofHours(1)).with(round(at(0), 0.82, 0.4, 0.4, 0.4));
        assertTrue(assertHold(Reason.WITHIN_BOUNDS, null, decide(skewed, DEFAULTS, 4)).closeCall());
        Policy ops = Policy.builder().opsPerMaster(10_000.0).build();
        assertTrue(assertHold(Reason.WITHIN_BOUNDS, null, decide(load(4, 0.5, 37_000, 0, 4), ops, 4)).closeCall());
        assertFalse(assertHold(Reason.WITHIN_BOUNDS, null, decide(load(4, 0.5, 35_000, 0, 4), ops, 4)).closeCall());
    }

    // decisions

    @Test
    void theDecisionIsAFunctionOfItsInputsOnly() {
        Window window = rising(4, 0.6, 0.005, 40);
        assertEquals(decide(window, DEFAULTS, 4), decide(window, DEFAULTS, 4));
    }

    @Test
    void numbersCarryTheFiguresBehindTheDecision() {
        Window window = Window.empty(Duration.ofHours(1)).with(
                Fixtures.sample("a", at(0), 0.85, 1_000, 0.25), Fixtures.sample("b", at(0), 0.95, 3_000, 0.75));
        Numbers numbers = decide(window, immediate(), 2).numbers();
        assertEquals(0.90, numbers.meanRatio(), 1e-6);
        assertEquals(0.95, numbers.maxRatio(), 1e-6);
        assertEquals(Math.round(0.85 * GIB) + Math.round(0.95 * GIB), numbers.usedBytes());
        assertEquals(2 * GIB, numbers.maxBytes());
        assertEquals(4_000, numbers.opsPerSecond(), 1e-9);
        assertEquals(0.5, numbers.cpu(), 1e-9);
        assertEquals(0, numbers.growthBytesPerSecond());
        assertNull(numbers.secondsToThreshold());
        assertEquals(2, numbers.masters());
    }

    @Test
    void decisionsRefuseReasonsOfTheWrongRole() {
        Numbers numbers = Numbers.unknown(3, 3);
        assertThrows(IllegalArgumentException.class, () -> new ScaleOut(0, Reason.MEMORY_MEAN, numbers));
        assertThrows(IllegalArgumentException.class, () -> new ScaleOut(1, Reason.IDLE, numbers));
        assertThrows(IllegalArgumentException.class, () -> new ScaleIn(Reason.MEMORY_MEAN, numbers));
        assertThrows(IllegalArgumentException.class, () -> new Hold(Reason.MEMORY_MEAN, null, numbers, false));
        assertThrows(IllegalArgumentException.class, () -> new Hold(Reason.COOLDOWN, Reason.AT_MINIMUM, numbers,
                false));
        assertThrows(NullPointerException.class, () -> new Blocked(Reason.AT_MAXIMUM, null, numbers, "full"));
        assertThrows(IllegalArgumentException.class, () -> new Blocked(Reason.AT_MAXIMUM, Reason.OPS, numbers, " "));
        assertThrows(IllegalArgumentException.class,
                () -> new Numbers(Double.NaN, 0, 0, 0, 0, 0, 0, null, 0, 3, 3));
    }
}
