package io.biu.redismonitor.policy;

import static io.biu.redismonitor.policy.Fixtures.at;
import static io.biu.redismonitor.policy.Fixtures.even;
import static io.biu.redismonitor.policy.Fixtures.series;
import static io.biu.redismonitor.policy.Fixtures.steady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.biu.redismonitor.policy.Context.Capacity;
import io.biu.redismonitor.policy.Context.LastAction;
import io.biu.redismonitor.policy.Decision.Blocked;
import io.biu.redismonitor.policy.Decision.Hold;
import io.biu.redismonitor.policy.Decision.ScaleOut;
import java.time.Duration;
import java.time.Instant;

/** Deciding on synthetic windows, and asserting on the decision. */
final class Decisions {

    static final Policy DEFAULTS = Policy.defaults();
    /** Rounds of 10 s in the default idle window. */
    static final int IDLE_ROUNDS = 180;

    static Decision decide(Window window, Policy policy, int masters) {
        return Decider.decide(window, policy, Fixtures.now(window, masters));
    }

    static Decision decide(Window window, Policy policy, int masters, LastAction last) {
        Instant now = window.latest().orElseThrow().at();
        return Decider.decide(window, policy, Fixtures.context(now, masters, last));
    }

    static Decision decide(Window window, Policy policy, int masters, boolean taskRunning,
            Capacity capacity) {
        Instant now = window.latest().orElseThrow().at();
        return Decider.decide(window, policy, new Context(now, masters, null, taskRunning, capacity));
    }

    /** Rounds of {@code masters} even masters whose mean starts at {@code start} and gains {@code step} a round. */
    static Window rising(int masters, double start, double step, int rounds) {
        double[] means = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            means[i] = start + step * i;
        }
        return series(masters, means);
    }

    /** Rounds of {@code masters} even masters at {@code mean} with total ops and CPU. */
    static Window load(int masters, double mean, double ops, double cpu, int rounds) {
        Window window = Window.empty(Duration.ofHours(1));
        for (int i = 0; i < rounds; i++) {
            window = window.with(even(at(i), masters, mean, ops, cpu));
        }
        return window;
    }

    static Window idle(int masters, double mean, int rounds) {
        return steady(masters, mean, rounds);
    }

    static Hold assertHold(Reason reason, Reason trigger, Decision decision) {
        Hold hold = assertInstanceOf(Hold.class, decision);
        assertEquals(reason, hold.reason(), hold.toString());
        assertEquals(trigger, hold.trigger(), hold.toString());
        return hold;
    }

    static ScaleOut assertScaleOut(int add, Reason reason, Decision decision) {
        ScaleOut out = assertInstanceOf(ScaleOut.class, decision);
        assertEquals(reason, out.reason(), out.toString());
        assertEquals(add, out.add(), out.toString());
        return out;
    }

    static Blocked assertBlocked(Reason reason, Reason trigger, Decision decision) {
        Blocked blocked = assertInstanceOf(Blocked.class, decision);
        assertEquals(reason, blocked.reason(), blocked.toString());
        assertEquals(trigger, blocked.trigger(), blocked.toString());
        return blocked;
    }

    private Decisions() {
    }
}
