package io.biu.redismonitor.policy;

import io.biu.redismonitor.policy.Context.Capacity;
import io.biu.redismonitor.policy.Context.LastAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Synthetic samples and contexts: masters of 1 GiB, rounds every 10 seconds from {@link #T0}. */
final class Fixtures {

    static final long GIB = 1L << 30;
    static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");
    static final Duration STEP = Duration.ofSeconds(10);

    private Fixtures() {
    }

    static Instant at(int round) {
        return T0.plus(STEP.multipliedBy(round));
    }

    static Sample sample(String master, Instant at, double ratio) {
        return sample(master, at, ratio, 0, 0);
    }

    static Sample sample(String master, Instant at, double ratio, double ops, double cpu) {
        return new Sample(master, at, Math.round(ratio * GIB), GIB, ops, cpu);
    }

    /** One round: master {@code m<i>} at {@code ratios[i]}. */
    static List<Sample> round(Instant at, double... ratios) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < ratios.length; i++) {
            samples.add(sample("m" + i, at, ratios[i]));
        }
        return samples;
    }

    /** One round of {@code masters} masters all at {@code ratio}, with total ops and CPU spread evenly. */
    static List<Sample> even(Instant at, int masters, double ratio, double ops, double cpu) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < masters; i++) {
            samples.add(sample("m" + i, at, ratio, ops / masters, cpu / masters));
        }
        return samples;
    }

    /** A window of rounds 0, 1, 2... of {@code masters} even masters at the given mean ratios. */
    static Window series(int masters, double... means) {
        Window window = Window.empty(Duration.ofHours(1));
        for (int i = 0; i < means.length; i++) {
            window = window.with(even(at(i), masters, means[i], 0, 0));
        }
        return window;
    }

    /** {@code count} rounds of {@code masters} even masters at one ratio. */
    static Window steady(int masters, double mean, int count) {
        double[] means = new double[count];
        Arrays.fill(means, mean);
        return series(masters, means);
    }

    /** The context of a decision at the latest round of {@code window}, nothing running, plenty of room. */
    static Context now(Window window, int masters) {
        return context(window.latest().orElseThrow().at(), masters, null);
    }

    static Context context(Instant now, int masters, LastAction last) {
        return new Context(now, masters, last, false, Capacity.of(100));
    }

    static Policy immediate() {
        return Policy.builder().sustain(Duration.ZERO).build();
    }
}
