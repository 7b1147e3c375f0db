package io.biu.redismonitor.policy;

import static io.biu.redismonitor.policy.Fixtures.GIB;
import static io.biu.redismonitor.policy.Fixtures.at;
import static io.biu.redismonitor.policy.Fixtures.round;
import static io.biu.redismonitor.policy.Fixtures.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

class WindowTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final double MIB = 1 << 20;

    /** Rounds every 10 s of 4 masters of 1 GiB whose total used memory is {@code used.apply(round)}. */
    private static Window totals(int rounds, IntToLongFunction used) {
        Window window = Window.empty(HOUR);
        for (int i = 0; i < rounds; i++) {
            long total = used.applyAsLong(i);
            List<Sample> samples = new ArrayList<>();
            for (int m = 0; m < 4; m++) {
                samples.add(new Sample("m" + m, at(i), total / 4, GIB, 0, 0));
            }
            window = window.with(samples);
        }
        return window;
    }

    @Test
    void meanRatioIsTotalUsedOverTotalMaxmemoryNotTheMeanOfRatios() {
        Window window = Window.empty(HOUR).with(new Sample("a", at(0), GIB / 2, GIB, 0, 0),
                new Sample("b", at(0), 3 * GIB, 3 * GIB, 0, 0));
        assertEquals(3.5 / 4, window.meanRatio(), 1e-12);
        assertEquals(1.0, window.maxRatio(), 1e-12);
        assertEquals(2, window.latest().orElseThrow().masters());
    }

    @Test
    void opsAreSummedAndCpuAveragedOverTheMastersOfTheLatestRound() {
        Window window = Window.empty(HOUR)
                .with(sample("a", at(0), 0.1, 1_000, 0.2), sample("b", at(0), 0.1, 3_000, 0.4))
                .with(sample("a", at(1), 0.2, 5_000, 0.6), sample("b", at(1), 0.4, 7_000, 0.8));
        assertEquals(12_000, window.opsPerSecond(), 1e-9);
        assertEquals(0.7, window.meanCpu(), 1e-12);
        assertEquals(0.4, window.maxRatio(), 1e-9);
        assertEquals(0.3, window.meanRatio(), 1e-9);
    }

    @Test
    void anEmptyWindowHasNoLatestRoundAndNoFigures() {
        Window window = Window.empty(HOUR);
        assertTrue(window.isEmpty());
        assertEquals(Optional.empty(), window.latest());
        assertThrows(IllegalStateException.class, window::meanRatio);
        assertEquals(OptionalDouble.empty(), window.growthBytesPerSecond(Duration.ofMinutes(5)));
        assertEquals(Optional.empty(), window.heldFor(round -> true));
    }

    @Test
    void withReturnsANewWindowAndLeavesTheOldOneUnchanged() {
        Window first = Window.empty(HOUR).with(round(at(0), 0.5, 0.5));
        Window second = first.with(round(at(1), 0.7, 0.7));
        assertEquals(1, first.rounds().size());
        assertEquals(2, second.rounds().size());
        assertEquals(0.5, first.meanRatio(), 1e-9);
        assertThrows(UnsupportedOperationException.class, () -> second.rounds().clear());
        assertThrows(UnsupportedOperationException.class, () -> second.samples().get("m0").clear());
    }

    @Test
    void samplesOlderThanTheMaxAgeBehindTheNewestAreDropped() {
        Window window = Window.empty(Duration.ofSeconds(30));
        for (int i = 0; i <= 10; i++) {
            window = window.with(round(at(i), 0.5));
        }
        assertEquals(List.of(at(7), at(8), at(9), at(10)), window.rounds().stream().map(Round::at).toList());
        window = window.with(sample("late", at(1), 0.9));
        assertFalse(window.samples().containsKey("late"), "a sample already too old is not kept");
    }

    @Test
    void samplesArriveInAnyOrderAndASecondSampleForTheSameInstantReplacesTheFirst() {
        Window window = Window.empty(HOUR).with(round(at(2), 0.3)).with(round(at(0), 0.1)).with(round(at(1), 0.2))
                .with(round(at(1), 0.25));
        assertEquals(List.of(0.1, 0.25, 0.3),
                window.rounds().stream().map(r -> Math.round(r.meanRatio() * 100) / 100.0).toList());
    }

    @Test
    void aMasterMissingFromOneRoundIsCarriedForwardFromItsPreviousSample() {
        Window window = Window.empty(HOUR).with(round(at(0), 0.5, 0.5)).with(sample("m0", at(1), 0.6))
                .with(round(at(2), 0.7, 0.7));
        Round gap = window.rounds().get(1);
        assertEquals(2, gap.masters());
        assertEquals(0.55, gap.meanRatio(), 1e-6);
    }

    @Test
    void aMasterMissingFromTheLatestRoundIsLeftOutOfIt() {
        Window window = Window.empty(HOUR).with(round(at(0), 0.5, 0.5)).with(sample("m0", at(1), 0.6));
        assertEquals(1, window.latest().orElseThrow().masters());
    }

    @Test
    void aRemovedMasterStopsCountingAfterItsLastSampleAndANewOneCountsFromItsFirst() {
        Window window = Window.empty(HOUR).with(round(at(0), 0.3, 0.3, 0.3))
                .with(round(at(1), 0.45, 0.45))
                .with(sample("m0", at(2), 0.3), sample("m1", at(2), 0.3), sample("m9", at(2), 0.3));
        assertEquals(List.of(3, 2, 3), window.rounds().stream().map(Round::masters).toList());
        assertEquals(List.of("m0", "m1", "m2", "m9"), List.copyOf(window.samples().keySet()));
    }

    @Test
    void theGrowthOfASteadySeriesIsItsSlope() {
        Window window = totals(31, i -> 2 * GIB + i * 10L * 1_000_000);
        assertEquals(1_000_000, window.growthBytesPerSecond(Duration.ofMinutes(5)).orElseThrow(), 1e-3);
        Window flat = totals(31, i -> 2 * GIB);
        assertEquals(0, flat.growthBytesPerSecond(Duration.ofMinutes(5)).orElseThrow(), 1e-9);
    }

    @Test
    void oneNoisyRoundMovesTheFittedGrowthFarLessThanItWouldMoveAnEndpointDifference() {
        long perRound = 10L * 1_000_000;
        long spike = 512L * 1 << 20;
        Window window = totals(31, i -> 2 * GIB + i * perRound + (i == 30 ? spike : 0));
        double growth = window.growthBytesPerSecond(Duration.ofMinutes(5)).orElseThrow();
        double endpoints = (double) (30 * perRound + spike) / 300;
        assertTrue(Math.abs(growth - 1_000_000) < 0.25 * Math.abs(endpoints - 1_000_000),
                "fitted " + growth + " against endpoints " + endpoints);
    }

    @Test
    void noisyRoundsAroundATrendStillGiveTheTrend() {
        Random random = new Random(7);
        Window window = totals(31, i -> 2 * GIB + i * 10L * 1_000_000 + (long) (random.nextGaussian() * 20 * MIB));
        assertEquals(1_000_000, window.growthBytesPerSecond(Duration.ofMinutes(5)).orElseThrow(), 300_000);
    }

    @Test
    void growthIsFittedOnTheRequestedSpanOnly() {
        Window window = totals(61, i -> i <= 30 ? 2 * GIB : 2 * GIB + (i - 30) * 10L * 1_000_000);
        assertEquals(1_000_000, window.growthBytesPerSecond(Duration.ofMinutes(5)).orElseThrow(), 1e-3);
        assertTrue(window.growthBytesPerSecond(Duration.ofMinutes(10)).orElseThrow() < 800_000);
    }

    @Test
    void growthIsUnknownWithFewerThanThreeRoundsOrLessThanHalfTheSpanCovered() {
        assertEquals(OptionalDouble.empty(), totals(2, i -> i * GIB / 10).growthBytesPerSecond(Duration.ofSeconds(20)));
        assertEquals(OptionalDouble.empty(), totals(15, i -> i * GIB / 10).growthBytesPerSecond(Duration.ofMinutes(5)));
        assertTrue(totals(16, i -> i * GIB / 10).growthBytesPerSecond(Duration.ofMinutes(5)).isPresent());
    }

    @Test
    void growthOfTotalUsedMemoryIgnoresTheDataMovedToANewMaster() {
        Window window = Window.empty(HOUR);
        for (int i = 0; i < 31; i++) {
            long total = 3 * GIB + i * 10L * 1_000_000;
            int masters = i < 15 ? 3 : 4;
            List<Sample> samples = new ArrayList<>();
            for (int m = 0; m < masters; m++) {
                samples.add(new Sample("m" + m, at(i), total / masters, GIB, 0, 0));
            }
            window = window.with(samples);
        }
        assertEquals(1_000_000, window.growthBytesPerSecond(Duration.ofMinutes(5)).orElseThrow(), 1);
        assertTrue(window.rounds().get(14).meanRatio() > window.rounds().get(15).meanRatio());
    }

    @Test
    void heldForMeasuresTheUnbrokenRunUpToTheLatestRound() {
        Window window = Fixtures.series(3, 0.85, 0.70, 0.82, 0.82, 0.85);
        assertEquals(Optional.of(Duration.ofSeconds(20)), window.heldFor(r -> r.meanRatio() >= 0.8));
        assertEquals(Optional.of(Duration.ZERO), window.heldFor(r -> r.meanRatio() >= 0.84));
        assertEquals(Optional.empty(), window.heldFor(r -> r.meanRatio() < 0.8));
        assertEquals(Optional.of(Duration.ofSeconds(40)), window.heldFor(r -> r.meanRatio() > 0.5));
    }

    @Test
    void aWindowNeedsAPositiveMaxAge() {
        assertThrows(IllegalArgumentException.class, () -> Window.empty(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> Window.empty(null));
    }

    @Test
    void aSampleRefusesFiguresThePolicyCannotUse() {
        Instant now = at(0);
        IllegalArgumentException unset = assertThrows(IllegalArgumentException.class,
                () -> new Sample("m0", now, 10, 0, 0, 0));
        assertTrue(unset.getMessage().contains("set maxmemory"), unset.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Sample(" ", now, 10, 10, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sample("m0", now, -1, 10, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sample("m0", now, 1, 10, Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sample("m0", now, 1, 10, 0, -0.5));
        assertEquals(1.25, new Sample("m0", now, 5, 4, 0, 0).ratio(), 1e-12);
    }
}
