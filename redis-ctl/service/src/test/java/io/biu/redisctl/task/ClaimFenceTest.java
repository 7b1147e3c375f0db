package io.biu.redisctl.task;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A run's own view of its claim: held until the lease after the last renewal was asked for, lost for good after. */
class ClaimFenceTest {

    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final long MS = 1_000_000;

    @Test
    void theClaimRunsOutALeaseAfterItsRoundTripStartedHoweverLateTheAnswerCame() {
        long now = System.nanoTime();
        assertTrue(new ClaimFence(1, LEASE, now - 900 * MS).held(), "asked 900 ms ago: 100 ms left");
        ClaimFence late = new ClaimFence(1, LEASE, now - 1_000 * MS);

        TaskContext.LeaseLost lost = assertThrows(TaskContext.LeaseLost.class, late::ensureHeld);

        assertTrue(lost.getMessage().startsWith("task 1 is no longer held under this run's claim: its lease ran out by "
                + "this process's clock"), lost.getMessage());
    }

    @Test
    void aRenewalMovesTheDeadlineToItsOwnStartPlusTheLeaseNeverBack() {
        long now = System.nanoTime();
        ClaimFence renewed = new ClaimFence(1, LEASE, now - 900 * MS);
        ClaimFence notRenewed = new ClaimFence(1, LEASE, now - 900 * MS);
        // answered now, but asked for long ago: it moves nothing
        renewed.renewed(now - 2_000 * MS);
        notRenewed.renewed(now - 2_000 * MS);

        renewed.renewed(now);

        renewed.sleep(Duration.ofMillis(300));
        assertTrue(renewed.held(), "300 ms on, past the first deadline");
        assertThrows(TaskContext.LeaseLost.class, () -> notRenewed.sleep(Duration.ofMillis(300)));
    }

    @Test
    void aClaimLostStaysLostWhateverRenewalComesBackLater() {
        long now = System.nanoTime();
        ClaimFence ranOut = new ClaimFence(1, LEASE, now - 2_000 * MS);
        assertFalse(ranOut.held());
        ranOut.renewed(System.nanoTime());
        assertFalse(ranOut.held(), "a renewal that came back after the deadline does not revive the claim");

        ClaimFence refused = new ClaimFence(1, LEASE, now);
        refused.refused();
        refused.renewed(System.nanoTime());
        assertFalse(refused.held());
        assertTrue(assertThrows(TaskContext.LeaseLost.class, refused::ensureHeld).getMessage()
                .endsWith("the task table refused a change under it (its lease lapsed, or another claim took the "
                        + "task)"));
    }

    @Test
    void aSleepEndsAtTheDeadlineNotAtItsOwnEnd() {
        ClaimFence fence = new ClaimFence(1, Duration.ofMillis(300), System.nanoTime());
        long started = System.nanoTime();

        assertThrows(TaskContext.LeaseLost.class, () -> fence.sleep(Duration.ofSeconds(20)));

        long tookMs = (System.nanoTime() - started) / MS;
        assertTrue(tookMs >= 250 && tookMs < 5_000, "woke at the deadline, after " + tookMs + " ms");
    }

    @Test
    void aSleepEndsAsSoonAsARenewalIsRefused() throws Exception {
        ClaimFence fence = new ClaimFence(1, Duration.ofMinutes(1), System.nanoTime());
        CompletableFuture<Throwable> woke = new CompletableFuture<>();
        Thread sleeper = new Thread(() -> {
            try {
                fence.sleep(Duration.ofSeconds(30));
                woke.complete(null);
            } catch (RuntimeException e) {
                woke.complete(e);
            }
        });
        sleeper.start();
        await(() -> sleeper.getState() == Thread.State.TIMED_WAITING, 5_000);

        fence.refused();

        assertTrue(woke.get(5, TimeUnit.SECONDS) instanceof TaskContext.LeaseLost, "woke at once, the claim lost");
    }

    @Test
    void aSleepWithinTheLeaseSleepsItsTime() {
        ClaimFence fence = new ClaimFence(1, Duration.ofMinutes(1), System.nanoTime());
        long started = System.nanoTime();

        fence.sleep(Duration.ofMillis(200));

        assertTrue(System.nanoTime() - started >= 200 * MS);
        assertTrue(fence.held());
    }

    private static void await(BooleanSupplier condition, long ms) {
        Awaitility.await().atMost(Duration.ofMillis(ms)).pollInterval(Duration.ofMillis(10))
                .until(condition::getAsBoolean);
    }
}
