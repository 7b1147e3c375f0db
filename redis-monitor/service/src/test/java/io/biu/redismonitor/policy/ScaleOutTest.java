package io.biu.redismonitor.policy;

import static io.biu.redismonitor.policy.Decisions.DEFAULTS;
import static io.biu.redismonitor.policy.Decisions.assertBlocked;
import static io.biu.redismonitor.policy.Decisions.assertHold;
import static io.biu.redismonitor.policy.Decisions.assertScaleOut;
import static io.biu.redismonitor.policy.Decisions.decide;
import static io.biu.redismonitor.policy.Decisions.load;
import static io.biu.redismonitor.policy.Decisions.rising;
import static io.biu.redismonitor.policy.Fixtures.GIB;
import static io.biu.redismonitor.policy.Fixtures.at;
import static io.biu.redismonitor.policy.Fixtures.even;
import static io.biu.redismonitor.policy.Fixtures.immediate;
import static io.biu.redismonitor.policy.Fixtures.round;
import static io.biu.redismonitor.policy.Fixtures.series;
import static io.biu.redismonitor.policy.Fixtures.steady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redismonitor.policy.Context.Capacity;
import io.biu.redismonitor.policy.Context.LastAction;
import io.biu.redismonitor.policy.Decision.Blocked;
import io.biu.redismonitor.policy.Decision.Hold;
import io.biu.redismonitor.policy.Decision.ScaleOut;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Scale-out: thresholds and their sustain, cooldown, forecast, how many masters, limits. */
class ScaleOutTest {

    // thresholds and hysteresis

    @Test
    void scalesOutOnlyOnceTheMeanHasHeldAboveTheThresholdForSustain() {
        Window window = series(4, 0.70, 0.70, 0.70, 0.85, 0.85, 0.85);
        Hold hold = assertHold(Reason.NOT_SUSTAINED, Reason.MEMORY_MEAN, decide(window, DEFAULTS, 4));
        assertTrue(hold.closeCall());
        assertEquals(20, hold.numbers().heldForSeconds());
        ScaleOut out = assertScaleOut(2, Reason.MEMORY_MEAN,
                decide(window.with(even(at(6), 4, 0.85, 0, 0)), DEFAULTS, 4));
        assertEquals(30, out.numbers().heldForSeconds());
    }

    @Test
    void withoutSustainScalesOutOnTheFirstRoundAboveTheThreshold() {
        assertScaleOut(2, Reason.MEMORY_MEAN, decide(series(4, 0.70, 0.81), immediate(), 4));
        assertHold(Reason.WITHIN_BOUNDS, null, decide(series(4, 0.70, 0.79), immediate(), 4));
    }

    @Test
    void aDipBelowTheThresholdRestartsTheSustainClock() {
        Window window = series(4, 0.85, 0.85, 0.85, 0.79, 0.85, 0.85, 0.85);
        assertHold(Reason.NOT_SUSTAINED, Reason.MEMORY_MEAN, decide(window, DEFAULTS, 4));
        assertScaleOut(2, Reason.MEMORY_MEAN, decide(window.with(even(at(7), 4, 0.85, 0, 0)), DEFAULTS, 4));
    }

    @Test
    void oneMasterAboveScaleOutAnyScalesOutWhileTheMeanIsLow() {
        Window window = Window.empty(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            window = window.with(round(at(i), 0.92, 0.40, 0.40, 0.40));
        }
        assertHold(Reason.NOT_SUSTAINED, Reason.MEMORY_INSTANCE, decide(window, DEFAULTS, 4));
        window = window.with(round(at(3), 0.92, 0.40, 0.40, 0.40));
        ScaleOut out = assertScaleOut(1, Reason.MEMORY_INSTANCE, decide(window, DEFAULTS, 4));
        assertEquals(0.92, out.numbers().maxRatio(), 1e-6);
        assertEquals(0.53, out.numbers().meanRatio(), 1e-6);
    }

    @Test
    void aMasterAtTheEmergencyRatioScalesOutAtOnceEvenDuringTheCooldown() {
        Window window = Window.empty(Duration.ofHours(1)).with(round(at(0), 0.96, 0.40, 0.40, 0.40));
        LastAction justNow = LastAction.scaleOut(at(0).minusSeconds(60));
        ScaleOut out = assertScaleOut(1, Reason.MEMORY_INSTANCE, decide(window, DEFAULTS, 4, justNow));
        assertEquals(0, out.numbers().heldForSeconds());
    }

    @Test
    void opsPerMasterScaleOutWhenTheirThresholdIsSetAndSustained() {
        Policy policy = Policy.builder().opsPerMaster(10_000.0).build();
        ScaleOut out = assertScaleOut(3, Reason.OPS, decide(load(4, 0.5, 48_000, 0, 4), policy, 4));
        assertEquals(48_000, out.numbers().opsPerSecond(), 1e-9);
        assertEquals(7, out.numbers().mastersWanted(), "48,000 ops/s at 75% of 10,000 a master");
        assertHold(Reason.NOT_SUSTAINED, Reason.OPS, decide(load(4, 0.5, 48_000, 0, 3), policy, 4));
        assertHold(Reason.WITHIN_BOUNDS, null, decide(load(4, 0.5, 48_000, 0, 4), DEFAULTS, 4));
    }

    @Test
    void cpuScalesOutWhenItsThresholdIsSetAndSustained() {
        Policy policy = Policy.builder().cpu(0.8).build();
        ScaleOut out = assertScaleOut(2, Reason.CPU, decide(load(4, 0.5, 0, 3.6, 4), policy, 4));
        assertEquals(0.9, out.numbers().cpu(), 1e-9);
        assertHold(Reason.WITHIN_BOUNDS, null, decide(load(4, 0.5, 0, 3.6, 4), DEFAULTS, 4));
    }

    // cooldown

    @Test
    void holdsDuringTheCooldownAfterAScaleOutThenActs() {
        Window window = steady(4, 0.85, 4);
        Instant now = window.latest().orElseThrow().at();
        Hold hold = assertHold(Reason.COOLDOWN, Reason.MEMORY_MEAN,
                decide(window, DEFAULTS, 4, LastAction.scaleOut(now.minus(Duration.ofMinutes(4)))));
        assertTrue(hold.closeCall());
        assertEquals(6, hold.numbers().mastersWanted());
        assertScaleOut(2, Reason.MEMORY_MEAN,
                decide(window, DEFAULTS, 4, LastAction.scaleOut(now.minus(Duration.ofMinutes(5)))));
        assertScaleOut(2, Reason.MEMORY_MEAN,
                decide(window, DEFAULTS, 4, LastAction.scaleIn(now.minus(Duration.ofMinutes(1)))));
    }

    @Test
    void aMasterSustainedAboveScaleOutAnyBeatsTheCooldown() {
        Window window = steady(4, 0.91, 4);
        Instant now = window.latest().orElseThrow().at();
        ScaleOut out = assertScaleOut(3, Reason.MEMORY_MEAN,
                decide(window, DEFAULTS, 4, LastAction.scaleOut(now.minusSeconds(60))));
        assertEquals(7, out.numbers().mastersWanted());
    }

    // forecast

    @Test
    void scalesOutBeforeTheThresholdWhenTheGrowthWouldReachItWithinTheHorizon() {
        // 4 masters of 1 GiB gaining 1% of their memory every 10 s: the mean reaches 80% 120 s after 68%
        Window window = Window.empty(Duration.ofHours(1));
        Decision decision = null;
        int round = 0;
        for (; round < 40; round++) {
            window = window.with(even(at(round), 4, 0.505 + 0.01 * round, 0, 0));
            decision = decide(window, DEFAULTS, 4);
            if (!(decision instanceof Hold)) {
                break;
            }
        }
        assertEquals(18, round, "the first round less than 120 s from 80%: " + decision);
        ScaleOut out = assertScaleOut(2, Reason.FORECAST, decision);
        assertTrue(out.numbers().meanRatio() < 0.80);
        assertEquals(0.685, out.numbers().meanRatio(), 1e-6);
        assertEquals(115, out.numbers().secondsToThreshold(), 0.5);
        assertEquals(0.001 * 4 * GIB, out.numbers().growthBytesPerSecond(), 0.001 * 4 * GIB * 1e-3);
        assertEquals(6, out.numbers().mastersWanted(), "68.5% + 12% of 4 GiB is 5.4 masters at 60%");
    }

    @Test
    void growthThatWouldTakeLongerThanTheHorizonToReachTheThresholdHolds() {
        Window window = rising(4, 0.70, 0.001, 31);
        Hold hold = assertHold(Reason.WITHIN_BOUNDS, null, decide(window, DEFAULTS, 4));
        assertEquals(700, hold.numbers().secondsToThreshold(), 1);
        assertTrue(hold.closeCall(), "73% is within 10% of 80%");
    }

    @Test
    void theForecastDoesNotWaitForSustainButWaitsForTheCooldown() {
        Policy patient = Policy.builder().sustain(Duration.ofMinutes(5)).build();
        Window window = rising(4, 0.505, 0.01, 19);
        assertScaleOut(2, Reason.FORECAST, decide(window, patient, 4));
        Instant now = window.latest().orElseThrow().at();
        Hold hold = assertHold(Reason.COOLDOWN, Reason.FORECAST,
                decide(window, DEFAULTS, 4, LastAction.scaleOut(now.minusSeconds(60))));
        assertTrue(hold.closeCall());
    }

    @Test
    void aShrinkingClusterHasNoForecast() {
        Hold hold = assertHold(Reason.WITHIN_BOUNDS, null, decide(rising(4, 0.79, -0.001, 31), DEFAULTS, 4));
        assertNull(hold.numbers().secondsToThreshold());
        assertTrue(hold.numbers().growthBytesPerSecond() < 0);
    }

    // how many masters

    @Test
    void addsEnoughMastersToBringTheMeanUnderTheTargetNotBlindlyOne() {
        ScaleOut out = assertScaleOut(2, Reason.MEMORY_MEAN, decide(steady(4, 0.90, 1), immediate(), 4));
        assertEquals(6, out.numbers().mastersWanted(), "3.6 GiB at 60% of 1 GiB a master");
        assertScaleOut(3, Reason.MEMORY_MEAN, decide(steady(6, 0.81, 1), immediate(), 6));
        assertScaleOut(2, Reason.MEMORY_MEAN, decide(steady(3, 0.82, 1), immediate(), 3));
    }

    @Test
    void theMastersWantedIncludeTheGrowthForecastOverTheHorizon() {
        // 81% and gaining 1% every 10 s: 12% more within the 2 minute horizon, 93% of 4 GiB is 6.2 masters at 60%
        ScaleOut growing = assertScaleOut(3, Reason.MEMORY_MEAN, decide(rising(4, 0.51, 0.01, 31), immediate(), 4));
        assertEquals(7, growing.numbers().mastersWanted());
        assertScaleOut(2, Reason.MEMORY_MEAN, decide(steady(4, 0.81, 31), immediate(), 4));
    }

    // limits

    @Test
    void theMaximumCapsTheMastersAdded() {
        Policy policy = Policy.builder().sustain(Duration.ZERO).maxMasters(5).build();
        ScaleOut out = assertScaleOut(1, Reason.MEMORY_MEAN, decide(steady(4, 0.90, 1), policy, 4));
        assertEquals(6, out.numbers().mastersWanted(), "the numbers keep what was wanted");
    }

    @Test
    void atTheMaximumAScaleOutIsBlocked() {
        Blocked blocked = assertBlocked(Reason.AT_MAXIMUM, Reason.MEMORY_MEAN,
                decide(steady(12, 0.90, 4), DEFAULTS, 12));
        assertTrue(blocked.why().contains("maxMasters"), blocked.why());
        assertEquals(18, blocked.numbers().mastersWanted());
    }

    @Test
    void thePodsCapacityCapsTheMastersAddedAndNoRoomBlocks() {
        Window window = steady(4, 0.90, 4);
        assertScaleOut(1, Reason.MEMORY_MEAN, decide(window, DEFAULTS, 4, false, Capacity.of(1)));
        Blocked blocked = assertBlocked(Reason.NO_CAPACITY, Reason.MEMORY_MEAN,
                decide(window, DEFAULTS, 4, false, Capacity.none("no node has 2 GiB of memory free")));
        assertTrue(blocked.why().contains("no node has 2 GiB of memory free"), blocked.why());
    }

    @Test
    void aQuotaWithoutRoomBlocksAScaleOutAsQuotaWhateverThePodHas() {
        Blocked blocked = assertBlocked(Reason.QUOTA, Reason.MEMORY_MEAN, decide(steady(4, 0.90, 4), DEFAULTS, 4,
                false, Capacity.quota("quota: tenant 'shop' has room for 0 more; cores 2 (2 held)")));
        assertTrue(blocked.why().contains("the tenant's quota has no room for one: quota: tenant 'shop'"),
                blocked.why());
        Blocked below = assertBlocked(Reason.QUOTA, Reason.BELOW_MINIMUM, Decider.decide(
                Window.empty(Duration.ofHours(1)), DEFAULTS, new Context(at(0), 2, null, false,
                        Capacity.quota("quota: containers 4 (4 held)"))));
        assertTrue(below.why().contains("containers 4 (4 held)"), below.why());
    }

    @Test
    void aRunningTaskBlocksAScaleOut() {
        Blocked blocked = assertBlocked(Reason.TASK_RUNNING, Reason.MEMORY_MEAN,
                decide(steady(4, 0.90, 4), DEFAULTS, 4, true, Capacity.of(10)));
        assertTrue(blocked.why().contains("task"), blocked.why());
    }

    @Test
    void belowTheMinimumScalesOutToItWithoutWaitingForData() {
        Window empty = Window.empty(Duration.ofHours(1));
        assertScaleOut(2, Reason.BELOW_MINIMUM, Decider.decide(empty, DEFAULTS, Fixtures.context(at(0), 1, null)));
        assertScaleOut(3, Reason.BELOW_MINIMUM, Decider.decide(empty, DEFAULTS, Fixtures.context(at(0), 0, null)));
        assertScaleOut(1, Reason.BELOW_MINIMUM,
                Decider.decide(empty, DEFAULTS, new Context(at(0), 1, null, false, Capacity.of(1))));
        LastAction justNow = LastAction.scaleOut(at(0));
        assertScaleOut(2, Reason.BELOW_MINIMUM, Decider.decide(empty, DEFAULTS,
                Fixtures.context(at(0), 1, justNow)));
    }

    @Test
    void belowTheMinimumAddsMoreWhenTheLoadNeedsMore() {
        ScaleOut out = assertScaleOut(2, Reason.BELOW_MINIMUM, decide(steady(2, 1.0, 1), DEFAULTS, 2));
        assertEquals(4, out.numbers().mastersWanted());
        assertScaleOut(1, Reason.BELOW_MINIMUM, decide(steady(2, 0.9, 1), DEFAULTS, 2));
    }

    @Test
    void belowTheMinimumIsBlockedByATaskOrAFullPod() {
        Window empty = Window.empty(Duration.ofHours(1));
        assertBlocked(Reason.TASK_RUNNING, Reason.BELOW_MINIMUM,
                Decider.decide(empty, DEFAULTS, new Context(at(0), 2, null, true, Capacity.of(4))));
        Blocked full = assertBlocked(Reason.NO_CAPACITY, Reason.BELOW_MINIMUM,
                Decider.decide(empty, DEFAULTS, new Context(at(0), 2, null, false, Capacity.none("pod cordoned"))));
        assertTrue(full.why().contains("pod cordoned"), full.why());
    }
}
