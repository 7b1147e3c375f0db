package io.biu.redisctl.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redisctl.client.StepTiming;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTest {

    @Test
    void eachFinishedStepKeepsItsDurationAndLastReportInOrder() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Task t = Task.pending(1, "team", TaskKind.REBALANCE, now).claimed("me", "c1", now.plusSeconds(5), now);
        assertEquals(List.of(), t.stepTimings());
        t = t.progressed("no slot was left open", now).stepDone(12, now, now);
        assertEquals("", t.progress(), "the next step has reported nothing yet");
        t = t.progressed("moved 1 of 2 slots", now);
        // a retried step keeps what was done
        t = t.failedRun("a failure", false, Duration.ofMinutes(1), now).claimed("me", "c2", now, now);
        t = t.progressed("moved 2 of 2\nslots", now).stepDone(3_456, now, now);
        assertEquals(2, t.step());
        assertEquals(List.of(new StepTiming("fix-open-slots", 12, "no slot was left open"),
                new StepTiming("migrate", 3_456, "moved 2 of 2 slots")), t.stepTimings());
        t = t.stepDone(7, now, now); // a step that reports nothing
        assertEquals(new StepTiming("await-agreement", 7, ""), t.stepTimings().get(2));
        assertEquals(t.stepTimings(), t.finished(TaskState.DONE, null, now).stepTimings());
    }

    @Test
    void theLastStepsReportStaysTheTasksProgress() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Task t = Task.pending(1, "team", TaskKind.REBALANCE, now).claimed("me", "c1", now.plusSeconds(5), now);
        for (int i = 0; i < TaskKind.REBALANCE.steps().size(); i++) {
            t = t.progressed("step " + i, now).stepDone(1, now, now);
        }
        assertEquals("step " + (TaskKind.REBALANCE.steps().size() - 1), t.progress());
    }

    @Test
    void aStepIsRetriedWithABackoffThatDoublesUntilTheGiveUpWhenItsLastTryIsDue() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Duration giveUp = Duration.ofSeconds(20);
        Task t = Task.pending(1, "team", TaskKind.REBALANCE, start).claimed("me", "c0", start.plusSeconds(1), start);
        List<Long> retries = new ArrayList<>();
        Instant now = start;
        while (t.open()) {
            t = t.failedRun("step fix-open-slots: down", false, giveUp, now);
            if (t.open()) {
                assertNull(t.claimId(), "released");
                now = t.leaseUntil();
                retries.add(Duration.between(start, now).toSeconds());
                t = t.claimed("me", "c" + retries.size(), now.plusSeconds(1), now);
            }
        }
        assertEquals(List.of(1L, 3L, 7L, 15L, 20L), retries, "1, 2, 4, 8 s, then the rest up to 20 s");
        assertEquals(TaskState.FAILED, t.state());
        assertEquals(start.plus(giveUp), t.finishedAt());
        assertEquals("step fix-open-slots: down (tried 6 times over 20 s, giving up after 20 s)", t.error());
    }

    @Test
    void aPermanentFailureEndsTheTaskAtOnceAndAStepDoneClearsTheFailures() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Task t = Task.pending(1, "team", TaskKind.REBALANCE, now).claimed("me", "c1", now.plusSeconds(1), now);
        Task refused = t.failedRun("step fix-open-slots: no room", true, Duration.ofMinutes(15), now);
        assertEquals(TaskState.FAILED, refused.state());
        assertEquals("step fix-open-slots: no room", refused.error());
        Task retried = t.failedRun("step fix-open-slots: down", false, Duration.ofMinutes(15), now)
                .claimed("me", "c2", now.plusSeconds(2), now.plusSeconds(1));
        assertEquals(now, retried.failingSince());
        Task next = retried.stepDone(5, now.plusSeconds(3), now.plusSeconds(2));
        assertNull(next.failingSince());
        assertEquals(0, next.attempts());
        assertNull(next.error());
    }

    @Test
    void onlyTheClaimThatHoldsTheTaskAtItsStepBeforeItsLeaseLapsesMayChangeIt() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Task held = Task.pending(1, "team", TaskKind.REBALANCE, now).claimed("me", "c1", now.plusSeconds(5), now);
        assertTrue(held.heldUnder(held, now.plusSeconds(4)));
        assertFalse(held.heldUnder(held, now.plusSeconds(5)), "the lease lapsed");
        assertFalse(held.claimed("me", "c2", now.plusSeconds(5), now).heldUnder(held, now), "claimed again");
        assertFalse(held.stepDone(1, now.plusSeconds(5), now).heldUnder(held, now), "at another step");
        assertFalse(held.finished(TaskState.DONE, null, now).heldUnder(held, now), "ended");
        assertFalse(held.failedRun("down", false, Duration.ofMinutes(1), now).heldUnder(held, now), "released");
    }

    @Test
    void aResumedTaskIsOpenAgainAtTheStepItFailedAtWithNoFailureCounted() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Task t = Task.pending(1, "team", TaskKind.REBALANCE, now).claimed("me", "c1", now.plusSeconds(5), now)
                .stepDone(3, now.plusSeconds(5), now);
        Task failed = t.failedRun("down", false, Duration.ofMinutes(1), now)
                .claimed("me", "c2", now.plusSeconds(5), now).failedRun("no room", true, Duration.ofMinutes(1), now);
        Task resumed = failed.resumed(now.plusSeconds(9));
        assertEquals(TaskState.PENDING, resumed.state());
        assertEquals(1, resumed.step());
        assertEquals(0, resumed.attempts());
        assertNull(resumed.error());
        assertNull(resumed.failingSince());
        assertNull(resumed.finishedAt());
        assertNull(resumed.leaseUntil(), "claimable at once");
        assertEquals(failed.stepTimings(), resumed.stepTimings());
        assertThrows(IllegalStateException.class, () -> resumed.resumed(now), "only a failed task is resumed");
    }
}
