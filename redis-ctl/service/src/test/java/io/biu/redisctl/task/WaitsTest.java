package io.biu.redisctl.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Waiting inside a step: polls until a value, a refusal, a timeout, or the run's claim lost. */
class WaitsTest {

    private static final Duration LEASE = Duration.ofMillis(700);

    @Test
    void aWaitWhoseClaimRunsOutStopsPollingAtTheDeadline() {
        long asked = System.nanoTime();
        ClaimFence fence = new ClaimFence(1, LEASE, asked);
        List<Long> polls = new CopyOnWriteArrayList<>();

        assertThrows(TaskContext.LeaseLost.class, () -> Waits.until(context(fence), Duration.ofSeconds(30), "nothing",
                () -> {
                    polls.add(System.nanoTime());
                    return null;
                }));

        long waitedMs = (System.nanoTime() - asked) / 1_000_000;
        assertTrue(waitedMs < 5_000, "stopped at the deadline, not at the timeout: " + waitedMs + " ms");
        assertTrue(polls.size() >= 2, "polled meanwhile: " + polls.size());
        assertTrue(polls.stream().allMatch(t -> t - asked < LEASE.toNanos()), "no poll after the deadline");
    }

    @Test
    void aValueEndsTheWaitAndAFailedPollIsRetried() {
        ClaimFence fence = new ClaimFence(1, Duration.ofMinutes(1), System.nanoTime());
        AtomicInteger polls = new AtomicInteger();

        String value = Waits.until(context(fence), Duration.ofSeconds(30), "the third poll", () -> {
            int n = polls.incrementAndGet();
            if (n == 1) {
                throw new IllegalStateException("not yet reachable");
            }
            return n == 3 ? "ok" : null;
        });

        assertEquals("ok", value);
        assertEquals(3, polls.get());
    }

    @Test
    void aRefusalOrATimeoutEndsTheWait() {
        ClaimFence fence = new ClaimFence(1, Duration.ofMinutes(1), System.nanoTime());

        assertThrows(CtlException.class, () -> Waits.until(context(fence), Duration.ofSeconds(30), "a refusal", () -> {
            throw new CtlException(CtlError.CONFLICT, "refused");
        }));
        IllegalStateException timedOut = assertThrows(IllegalStateException.class, () -> Waits.until(context(fence),
                Duration.ofMillis(300), "a value", () -> {
                    throw new IllegalStateException("connection refused");
                }));
        assertEquals("gave up waiting 0 s for a value (last error: connection refused)", timedOut.getMessage());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    /** A step's context as the runner gives it, without the reports. */
    private static TaskContext context(ClaimFence fence) {
        return new TaskContext() {
            @Override
            public void progress(String text) {
                fence.ensureHeld();
            }

            @Override
            public void ensureHeld() {
                fence.ensureHeld();
            }

            @Override
            public void sleep(Duration time) {
                fence.sleep(time);
            }
        };
    }
}
