package io.biu.redismonitor.policy;

import static io.biu.redismonitor.policy.Decisions.DEFAULTS;
import static io.biu.redismonitor.policy.Decisions.IDLE_ROUNDS;
import static io.biu.redismonitor.policy.Decisions.assertBlocked;
import static io.biu.redismonitor.policy.Decisions.assertHold;
import static io.biu.redismonitor.policy.Decisions.decide;
import static io.biu.redismonitor.policy.Decisions.idle;
import static io.biu.redismonitor.policy.Decisions.load;
import static io.biu.redismonitor.policy.Fixtures.at;
import static io.biu.redismonitor.policy.Fixtures.even;
import static io.biu.redismonitor.policy.Fixtures.steady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redismonitor.policy.Context.Capacity;
import io.biu.redismonitor.policy.Context.LastAction;
import io.biu.redismonitor.policy.Decision.Blocked;
import io.biu.redismonitor.policy.Decision.Hold;
import io.biu.redismonitor.policy.Decision.ScaleIn;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Scale-in: the idle window, the minimum, cooldowns, the check after removal, the maximum. */
class ScaleInTest {

    // scale-in

    @Test
    void scalesInOnlyAfterTheWholeIdleWindow() {
        Window window = idle(5, 0.20, IDLE_ROUNDS);
        Hold hold = assertHold(Reason.NOT_SUSTAINED, Reason.IDLE, decide(window, DEFAULTS, 5));
        assertEquals(1790, hold.numbers().heldForSeconds());
        assertFalse(hold.closeCall());
        ScaleIn in = assertInstanceOf(ScaleIn.class,
                decide(window.with(even(at(IDLE_ROUNDS), 5, 0.20, 0, 0)), DEFAULTS, 5));
        assertEquals(Reason.IDLE, in.reason());
        assertEquals(1800, in.numbers().heldForSeconds());
        assertEquals(4, in.numbers().mastersWanted());
    }

    @Test
    void oneBusyRoundRestartsTheIdleWindow() {
        Window window = idle(5, 0.20, IDLE_ROUNDS + 1).with(even(at(IDLE_ROUNDS + 1), 5, 0.35, 0, 0))
                .with(even(at(IDLE_ROUNDS + 2), 5, 0.20, 0, 0));
        assertHold(Reason.NOT_SUSTAINED, Reason.IDLE, decide(window, DEFAULTS, 5));
    }

    @Test
    void neverScalesInBelowTheMinimum() {
        Hold hold = assertHold(Reason.AT_MINIMUM, Reason.IDLE, decide(idle(3, 0.05, IDLE_ROUNDS + 1), DEFAULTS, 3));
        assertEquals(3, hold.numbers().mastersWanted());
    }

    @Test
    void scaleInWaitsForTheCooldownsAfterBothKindsOfAction() {
        Window window = idle(5, 0.20, IDLE_ROUNDS + 1);
        Instant now = window.latest().orElseThrow().at();
        assertHold(Reason.COOLDOWN, Reason.IDLE,
                decide(window, DEFAULTS, 5, LastAction.scaleIn(now.minus(Duration.ofMinutes(14)))));
        assertInstanceOf(ScaleIn.class,
                decide(window, DEFAULTS, 5, LastAction.scaleIn(now.minus(Duration.ofMinutes(15)))));
        assertHold(Reason.COOLDOWN, Reason.IDLE,
                decide(window, DEFAULTS, 5, LastAction.scaleOut(now.minus(Duration.ofMinutes(4)))));
        assertInstanceOf(ScaleIn.class,
                decide(window, DEFAULTS, 5, LastAction.scaleOut(now.minus(Duration.ofMinutes(5)))));
    }

    @Test
    void scaleInHoldsWhenOneMasterFewerWouldExceedTheTarget() {
        Policy policy = Policy.builder().scaleInLow(0.5).build();
        Hold hold = assertHold(Reason.REMOVAL_WOULD_EXCEED_TARGET, Reason.IDLE,
                decide(idle(4, 0.49, IDLE_ROUNDS + 1), policy, 4));
        assertEquals(0.49, hold.numbers().meanRatio(), 1e-6);
        assertInstanceOf(ScaleIn.class, decide(idle(5, 0.45, IDLE_ROUNDS + 1), policy, 5));
    }

    @Test
    void scaleInHoldsWhenOneMasterFewerWouldTakeOpsOverTheirTarget() {
        Policy policy = Policy.builder().minMasters(1).opsPerMaster(10_000.0).build();
        assertHold(Reason.REMOVAL_WOULD_EXCEED_TARGET, Reason.IDLE,
                decide(load(2, 0.1, 9_800, 0, IDLE_ROUNDS + 1), policy, 2));
        assertInstanceOf(ScaleIn.class, decide(load(4, 0.1, 19_600, 0, IDLE_ROUNDS + 1), policy, 4));
    }

    @Test
    void opsOrCpuAboveHalfTheirThresholdsKeepAClusterFromBeingIdle() {
        Policy ops = Policy.builder().opsPerMaster(10_000.0).build();
        assertHold(Reason.WITHIN_BOUNDS, null, decide(load(5, 0.1, 30_000, 0, IDLE_ROUNDS + 1), ops, 5));
        assertInstanceOf(ScaleIn.class, decide(load(5, 0.1, 20_000, 0, IDLE_ROUNDS + 1), ops, 5));
        Policy cpu = Policy.builder().cpu(0.8).build();
        assertHold(Reason.WITHIN_BOUNDS, null, decide(load(5, 0.1, 0, 2.5, IDLE_ROUNDS + 1), cpu, 5));
        assertInstanceOf(ScaleIn.class, decide(load(5, 0.1, 0, 1.5, IDLE_ROUNDS + 1), cpu, 5));
    }

    @Test
    void aRunningTaskHoldsAScaleInRatherThanBlockingIt() {
        assertHold(Reason.TASK_RUNNING, Reason.IDLE,
                decide(idle(5, 0.20, IDLE_ROUNDS + 1), DEFAULTS, 5, true, Capacity.of(3)));
    }

    @Test
    void aboveTheMaximumScalesInOneMasterAtATime() {
        Policy policy = Policy.builder().maxMasters(4).build();
        ScaleIn in = assertInstanceOf(ScaleIn.class, decide(steady(6, 0.40, 1), policy, 6));
        assertEquals(Reason.ABOVE_MAXIMUM, in.reason());
        assertEquals(4, in.numbers().mastersWanted());
        Blocked blocked = assertBlocked(Reason.REMOVAL_WOULD_EXCEED_TARGET, Reason.ABOVE_MAXIMUM,
                decide(steady(6, 0.55, 1), policy, 6));
        assertTrue(blocked.why().contains("maxMasters"), blocked.why());
        Instant now = at(0);
        assertHold(Reason.COOLDOWN, Reason.ABOVE_MAXIMUM,
                decide(steady(6, 0.40, 1), policy, 6, LastAction.scaleIn(now.minusSeconds(60))));
        assertBlocked(Reason.AT_MAXIMUM, Reason.MEMORY_MEAN, decide(steady(6, 0.85, 4), policy, 6));
    }
}
