package io.biu.redisctl.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.biu.redisctl.client.StepTiming;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTest {

    @Test
    void eachFinishedStepKeepsItsDurationAndLastReportInOrder() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Task t = Task.pending(1, "team", TaskKind.REBALANCE, now).leased("me", now.plusSeconds(5), now);
        assertEquals(List.of(), t.stepTimings());
        t = t.progressed("no slot was left open", now).stepDone(12, now, now);
        assertEquals("", t.progress(), "the next step has reported nothing yet");
        t = t.progressed("moved 1 of 2 slots", now);
        t = t.retry("a failure", now, now).leased("me", now, now); // a retried step keeps what was done
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
        Task t = Task.pending(1, "team", TaskKind.REBALANCE, now).leased("me", now.plusSeconds(5), now);
        for (int i = 0; i < TaskKind.REBALANCE.steps().size(); i++) {
            t = t.progressed("step " + i, now).stepDone(1, now, now);
        }
        assertEquals("step " + (TaskKind.REBALANCE.steps().size() - 1), t.progress());
    }
}
