package io.biu.redismonitor.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redismonitor.policy.Decision.Blocked;
import io.biu.redismonitor.policy.Decision.Hold;
import io.biu.redismonitor.policy.Decision.ScaleOut;
import io.biu.redismonitor.policy.SimulatedCluster.Action;
import io.biu.redismonitor.policy.SimulatedCluster.Step;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Scenarios run through time: synthetic data volumes fed round by round to a {@link SimulatedCluster}, and assertions
 * on the sequence of actions that follows.
 */
class SimulationTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    /** Rounds of 10 s in an hour. */
    private static final int HOUR = 360;

    private static double alternate(int round, double even, double odd) {
        return round % 2 == 0 ? even : odd;
    }

    /** No scale-in within the cooldown after a scale-out, and scale-ins spaced by their own cooldown. */
    private static void assertCooldownsKept(SimulatedCluster cluster, Policy policy) {
        List<Action> actions = cluster.actions();
        for (int i = 1; i < actions.size(); i++) {
            Action previous = actions.get(i - 1);
            Action action = actions.get(i);
            Duration gap = Duration.between(previous.at(), action.at());
            if (action.isIn() && previous.isOut()) {
                assertTrue(gap.compareTo(policy.cooldownAfterOut()) >= 0, "scale-in " + gap + " after a scale-out");
            }
            if (action.isIn() && previous.isIn()) {
                assertTrue(gap.compareTo(policy.cooldownAfterIn()) >= 0, "scale-in " + gap + " after a scale-in");
            }
        }
    }

    /** A scale-in never causes a scale-out: none follows one while the data stays what it was at the scale-in. */
    private static void assertNoScaleOutCausedByAScaleIn(SimulatedCluster cluster) {
        List<Action> actions = cluster.actions();
        for (int i = 1; i < actions.size(); i++) {
            if (actions.get(i).isOut() && actions.get(i - 1).isIn()) {
                assertTrue(actions.get(i).dataGib() > actions.get(i - 1).dataGib(),
                        "scale-out " + actions.get(i) + " right after scale-in " + actions.get(i - 1));
            }
        }
    }

    private static void assertMastersWithinBounds(SimulatedCluster cluster, Policy policy) {
        for (Action action : cluster.actions()) {
            assertTrue(action.mastersAfter() >= policy.minMasters() && action.mastersAfter() <= policy.maxMasters(),
                    action.toString());
        }
    }

    @Test
    void aMeanFlappingAroundTheThresholdEveryRoundNeverActs() {
        SimulatedCluster cluster = new SimulatedCluster(Policy.defaults(), 4, TEN_SECONDS)
                .run(2 * HOUR, round -> 4 * alternate(round, 0.79, 0.81));
        assertEquals(List.of(), cluster.actions());
        long nearMisses = cluster.steps().stream()
                .filter(step -> step.decision() instanceof Hold hold && hold.reason() == Reason.NOT_SUSTAINED)
                .count();
        assertEquals(HOUR, nearMisses, "every round above the threshold is recorded as a near miss");
        assertTrue(cluster.steps().stream()
                .allMatch(step -> !(step.decision() instanceof Hold hold) || hold.closeCall()));
    }

    @Test
    void withoutSustainAFlappingMeanScalesOutOnceAndThenSettles() {
        SimulatedCluster cluster = new SimulatedCluster(Fixtures.immediate(), 4, TEN_SECONDS)
                .run(2 * HOUR, round -> 4 * alternate(round, 0.79, 0.81));
        assertEquals(1, cluster.actions().size(), cluster.actions().toString());
        Action out = cluster.actions().get(0);
        assertEquals(2, assertInstanceOf(ScaleOut.class, out.decision()).add());
        assertEquals(6, cluster.masters());
    }

    @Test
    void aLoadSwingingBetween25And85PercentEveryRoundNeverScalesInAfterScalingOut() {
        SimulatedCluster patient = new SimulatedCluster(Policy.defaults(), 4, TEN_SECONDS)
                .run(3 * HOUR, round -> 4 * alternate(round, 0.25, 0.85));
        assertEquals(List.of(), patient.actions(), "never 30 s above 80%, never 30 minutes below 30%");

        SimulatedCluster eager = new SimulatedCluster(Fixtures.immediate(), 4, TEN_SECONDS)
                .run(3 * HOUR, round -> 4 * alternate(round, 0.25, 0.85));
        assertEquals(1, eager.actions().size(), eager.actions().toString());
        assertTrue(eager.actions().get(0).isOut());
        assertEquals(6, eager.masters());
    }

    @Test
    void noisyLoadAroundTheThresholdScalesOutAtMostOnceAndNeverBackIn() {
        Random random = new Random(42);
        double[] data = new double[2 * HOUR];
        for (int i = 0; i < data.length; i++) {
            data[i] = 4 * (0.72 + 0.16 * random.nextDouble());
        }
        SimulatedCluster cluster = new SimulatedCluster(Policy.defaults(), 4, TEN_SECONDS)
                .run(data.length, round -> data[round]);
        assertTrue(cluster.actions().size() <= 1, cluster.actions().toString());
        assertTrue(cluster.actions().stream().allMatch(Action::isOut));
    }

    @Test
    void aSlowSquareWaveIsFollowedWithoutFlapping() {
        Policy policy = Policy.defaults();
        int periods = 3;
        SimulatedCluster cluster = new SimulatedCluster(policy, 6, TEN_SECONDS)
                .run(periods * 2 * HOUR, round -> (round / HOUR) % 2 == 0 ? 1.5 : 5.1);
        List<Action> actions = cluster.actions();
        assertTrue(actions.stream().anyMatch(Action::isOut), "the high phases are met");
        assertTrue(actions.stream().filter(Action::isIn).count() >= periods, "each low phase gives masters back");
        assertTrue(actions.size() <= 4 * periods, "at most one scale-out and three scale-ins a period: " + actions);
        assertCooldownsKept(cluster, policy);
        assertNoScaleOutCausedByAScaleIn(cluster);
        assertMastersWithinBounds(cluster, policy);
        for (Step step : cluster.steps()) {
            if (step.round() % HOUR == HOUR - 1) {
                assertTrue(step.dataGib() / step.masters() < policy.scaleOutMean(),
                        "the cluster keeps up by the end of each phase: " + step);
            }
        }
    }

    @Test
    void steadyGrowthScalesOutAheadOfTheThresholdUpToTheMaximumThenIsBlocked() {
        Policy policy = Policy.defaults();
        // 1.5 GiB on 3 masters growing by 1 MiB/s: 12 GiB after about three hours
        SimulatedCluster cluster = new SimulatedCluster(policy, 3, TEN_SECONDS)
                .run(4 * HOUR, round -> 1.5 + round * 10 / 1024.0);
        List<Action> actions = cluster.actions();
        assertEquals(policy.maxMasters(), cluster.masters());
        assertTrue(actions.stream().allMatch(action -> action.decision().reason() == Reason.FORECAST),
                "every scale-out came from the forecast: " + actions);
        int reachedMaximum = actions.get(actions.size() - 1).round();
        for (Step step : cluster.steps().subList(0, reachedMaximum)) {
            assertTrue(step.dataGib() / step.masters() < policy.scaleOutMean(), "below 80% until the maximum: " + step);
        }
        Step lastStep = cluster.steps().get(cluster.steps().size() - 1);
        Blocked blocked = assertInstanceOf(Blocked.class, lastStep.decision());
        assertEquals(Reason.AT_MAXIMUM, blocked.reason());
        assertMastersWithinBounds(cluster, policy);
    }

    @Test
    void aDecliningLoadScalesInOneMasterAtATimeDownToTheMinimum() {
        Policy policy = Policy.defaults();
        SimulatedCluster cluster = new SimulatedCluster(policy, 12, TEN_SECONDS)
                .run(5 * HOUR, round -> Math.max(0.3, 3.0 - round * 2.7 / (4.0 * HOUR)));
        List<Action> actions = cluster.actions();
        assertEquals(policy.minMasters(), cluster.masters());
        assertEquals(12 - policy.minMasters(), actions.size(), actions.toString());
        assertTrue(actions.stream()
                .allMatch(action -> action.isIn() && action.mastersAfter() == action.mastersBefore() - 1));
        assertCooldownsKept(cluster, policy);
        assertFalse(cluster.steps().stream().anyMatch(step -> step.decision() instanceof ScaleOut));
        assertTrue(Duration.between(Fixtures.T0, actions.get(0).at()).compareTo(policy.idleWindow()) >= 0,
                "the first scale-in waits for the idle window");
    }
}
