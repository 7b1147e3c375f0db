package io.biu.redismonitor.web;

import static io.biu.redismonitor.web.WebFixtures.at;
import static io.biu.redismonitor.web.WebFixtures.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.biu.redismonitor.web.RateWindow.Rate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateWindowTest {

    private static List<Instant> instants(RateWindow window) {
        return window.rates().stream().map(Rate::at).toList();
    }

    private static List<Double> rps(RateWindow window) {
        return window.rates().stream().map(Rate::rps).toList();
    }

    @Test
    void anEmptyWindowHasNoLatestRateAndHoldsNothing() {
        RateWindow window = RateWindow.empty(Duration.ofMinutes(6));
        assertEquals(Duration.ofMinutes(6), window.maxAge());
        assertEquals(List.of(), window.rates());
        assertEquals(Optional.empty(), window.latest());
        assertEquals(Optional.empty(), window.heldFor(rps -> true));
    }

    @Test
    void ratesAreKeptOldestFirstAndTheLatestIsTheNewest() {
        RateWindow window = series(10, 20, 30);
        assertEquals(List.of(at(0), at(1), at(2)), instants(window));
        assertEquals(new Rate(at(2), 30), window.latest().orElseThrow());
    }

    @Test
    void ratesOlderThanTheMaxAgeBehindTheNewestAreDropped() {
        RateWindow window = RateWindow.empty(Duration.ofSeconds(30));
        for (int i = 0; i <= 10; i++) {
            window = window.with(new Rate(at(i), i));
        }
        assertEquals(List.of(at(7), at(8), at(9), at(10)), instants(window), "exactly maxAge old is still kept");
        assertEquals(List.of(7.0, 8.0, 9.0, 10.0), rps(window));
    }

    @Test
    void aGapLongerThanTheMaxAgeLeavesOnlyTheNewRate() {
        RateWindow window = RateWindow.empty(Duration.ofSeconds(30)).with(new Rate(at(0), 1)).with(new Rate(at(1), 2))
                .with(new Rate(at(10), 3));
        assertEquals(List.of(new Rate(at(10), 3)), window.rates());
    }

    @Test
    void withReturnsANewWindowAndLeavesTheOldOneUnchanged() {
        RateWindow first = series(10);
        RateWindow second = first.with(new Rate(at(1), 20));
        assertEquals(1, first.rates().size());
        assertEquals(2, second.rates().size());
        assertThrows(UnsupportedOperationException.class, () -> second.rates().clear());
        assertEquals(first.maxAge(), second.maxAge());
    }

    @Test
    void aSecondRateForTheNewestInstantReplacesTheFirst() {
        RateWindow window = series(10, 20, 30).with(new Rate(at(2), 35));
        assertEquals(List.of(at(0), at(1), at(2)), instants(window));
        assertEquals(List.of(10.0, 20.0, 35.0), rps(window));
    }

    /**
     * The window only takes rates in order: one older than the newest becomes the newest, and what it held after that
     * instant is dropped rather than kept out of order.
     */
    @Test
    void aRateOlderThanTheNewestDropsEveryRateFromItsInstantOn() {
        RateWindow window = series(10, 20, 30, 40).with(new Rate(at(1), 25));
        assertEquals(List.of(at(0), at(1)), instants(window));
        assertEquals(List.of(10.0, 25.0), rps(window));
        assertEquals(new Rate(at(1), 25), window.latest().orElseThrow());
    }

    @Test
    void heldForMeasuresTheUnbrokenRunEndingAtTheNewestRate() {
        RateWindow window = series(250, 150, 220, 230, 250);
        assertEquals(Optional.of(Duration.ofSeconds(20)), window.heldFor(rps -> rps >= 200));
        assertEquals(Optional.of(Duration.ofSeconds(40)), window.heldFor(rps -> rps > 100));
        assertEquals(Optional.of(Duration.ZERO), window.heldFor(rps -> rps >= 240), "only the newest holds");
    }

    @Test
    void heldForIsEmptyWhenTheNewestRateFailsTheCondition() {
        RateWindow window = series(50, 50, 50, 250);
        assertEquals(Optional.empty(), window.heldFor(rps -> rps < 100), "earlier runs do not count");
    }

    @Test
    void heldForCountsFromTheOldestRateStillInTheWindow() {
        RateWindow window = RateWindow.empty(Duration.ofSeconds(30));
        for (int i = 0; i <= 10; i++) {
            window = window.with(new Rate(at(i), 300));
        }
        assertEquals(Optional.of(Duration.ofSeconds(30)), window.heldFor(rps -> rps >= 200));
    }

    @Test
    void aRateMustBeAFiniteNumberNotBelowZero() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> new Rate(at(0), -1));
        assertEquals("a request rate must be a finite number >= 0, not -1.0", negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Rate(at(0), Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Rate(at(0), Double.POSITIVE_INFINITY));
        assertEquals(0, new Rate(at(0), 0).rps());
    }
}
