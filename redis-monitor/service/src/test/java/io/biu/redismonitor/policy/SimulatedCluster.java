package io.biu.redismonitor.policy;

import static io.biu.redismonitor.policy.Fixtures.GIB;
import static io.biu.redismonitor.policy.Fixtures.T0;

import io.biu.redismonitor.policy.Context.Capacity;
import io.biu.redismonitor.policy.Context.LastAction;
import io.biu.redismonitor.policy.Decision.ScaleIn;
import io.biu.redismonitor.policy.Decision.ScaleOut;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * A cluster of 1 GiB masters run through time by the decider: each round samples it (the data spread evenly over
 * the masters, as after a rebalance), decides, and applies a scale-out or scale-in at once.
 */
final class SimulatedCluster {

    /** A scaling action taken at a round. */
    record Action(int round, Instant at, Decision decision, int mastersBefore, int mastersAfter, double dataGib) {

        boolean isOut() {
            return decision instanceof ScaleOut;
        }

        boolean isIn() {
            return decision instanceof ScaleIn;
        }
    }

    /** A decision and the cluster it was made on. */
    record Step(int round, Instant at, Decision decision, int masters, double dataGib) {
    }

    private final Policy policy;
    private final Duration interval;
    private final List<String> masters = new ArrayList<>();
    private final List<Action> actions = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private Window window;
    private LastAction last;
    private int nextId;
    private int round;

    SimulatedCluster(Policy policy, int masters, Duration interval) {
        this.policy = policy;
        this.interval = interval;
        this.window = Window.empty(policy.windowAge());
        for (int i = 0; i < masters; i++) {
            addMaster();
        }
    }

    /** Runs {@code rounds} more rounds, the cluster holding {@code dataGib.applyAsDouble(round)} GiB of data. */
    SimulatedCluster run(int rounds, IntToDoubleFunction dataGib) {
        for (int end = round + rounds; round < end; round++) {
            step(dataGib.applyAsDouble(round));
        }
        return this;
    }

    List<Action> actions() {
        return actions;
    }

    List<Step> steps() {
        return steps;
    }

    int masters() {
        return masters.size();
    }

    Duration interval() {
        return interval;
    }

    private void step(double dataGib) {
        Instant at = T0.plus(interval.multipliedBy(round));
        long perMaster = (long) (dataGib * GIB) / masters.size();
        List<Sample> samples = new ArrayList<>();
        for (String master : masters) {
            samples.add(new Sample(master, at, perMaster, GIB, 0, 0));
        }
        window = window.with(samples);
        int before = masters.size();
        Decision decision = Decider.decide(window, policy, new Context(at, before, last, false, Capacity.of(50)));
        steps.add(new Step(round, at, decision, before, dataGib));
        if (decision instanceof ScaleOut out) {
            for (int i = 0; i < out.add(); i++) {
                addMaster();
            }
            last = LastAction.scaleOut(at);
        } else if (decision instanceof ScaleIn) {
            masters.remove(masters.size() - 1);
            last = LastAction.scaleIn(at);
        } else {
            return;
        }
        actions.add(new Action(round, at, decision, before, masters.size(), dataGib));
    }

    private void addMaster() {
        masters.add("m" + nextId++);
    }
}
