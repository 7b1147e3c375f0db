package io.biu.redisctl.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTest {

    @Test
    void eachFinishedStepKeepsItsDurationInOrder() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Task t = Task.pending(1, "team", TaskKind.REBALANCE, now).leased("me", now.plusSeconds(5), now);
        assertEquals(List.of(), t.stepTimings());
        t = t.stepDone(12, now, now);
        t = t.retry("a failure", now, now).leased("me", now, now); // a retried step keeps what was done
        t = t.stepDone(3_456, now, now);
        assertEquals(2, t.step());
        assertEquals(List.of(new Task.Timing("fix-open-slots", 12), new Task.Timing("migrate", 3_456)),
                t.stepTimings());
        assertEquals(t.stepTimings(), t.finished(Task.TaskState.DONE, null, now).stepTimings());
    }
}
