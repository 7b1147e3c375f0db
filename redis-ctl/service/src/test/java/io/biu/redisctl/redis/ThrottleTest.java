package io.biu.redisctl.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThrottleTest {

    private static final long SECOND = 1_000_000_000L;

    /** A clock that only moves when told to, or when the throttle sleeps. */
    private static final class FakeTime {
        long now = 42 * SECOND;
        long slept;

        Throttle throttle(long perSecond) {
            return new Throttle(perSecond, () -> now, nanos -> {
                slept += nanos;
                now += nanos;
            });
        }
    }

    @Test
    void movesAtTheRateAskedFor() {
        FakeTime time = new FakeTime();
        Throttle throttle = time.throttle(2_000);
        for (int batch = 0; batch < 10; batch++) {
            throttle.acquire(1_000);
        }
        // 10,000 keys at 2,000 keys/s: five seconds, whatever the moves themselves took (nothing here)
        assertEquals(5 * SECOND, time.slept);
    }

    @Test
    void slowMovesAreNotSlowedFurther() {
        FakeTime time = new FakeTime();
        Throttle throttle = time.throttle(1_000);
        for (int batch = 0; batch < 5; batch++) {
            time.now += SECOND; // each batch of 500 keys takes a second by itself
            throttle.acquire(500);
        }
        assertEquals(0, time.slept);
    }

    @Test
    void aTaskThatFellBehindCatchesUpByOneSecondAtMost() {
        FakeTime time = new FakeTime();
        Throttle throttle = time.throttle(1_000);
        time.now += 60 * SECOND; // a long pause before the first key
        throttle.acquire(1_000); // within the one second of credit
        assertEquals(0, time.slept);
        throttle.acquire(3_000); // three seconds' worth, at the rate again
        assertEquals(3 * SECOND, time.slept);
    }

    @Test
    void zeroMeansUnlimited() {
        FakeTime time = new FakeTime();
        Throttle throttle = time.throttle(0);
        throttle.acquire(1_000_000_000);
        assertEquals(0, time.slept);
    }
}
