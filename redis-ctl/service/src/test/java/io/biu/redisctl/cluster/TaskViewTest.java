package io.biu.redisctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.biu.redisctl.client.StepTiming;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskState;
import io.biu.redisctl.client.TaskView;
import io.biu.redisctl.task.Task;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A task as the API shows it: its current and finished steps named as its kind's step enum names them. */
class TaskViewTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aRunningTaskNamesItsCurrentStepAndItsFinishedOnes() {
        Task migrating = new Task(7L, 3, "team", TaskKind.REBALANCE, TaskState.RUNNING, 1, "moved 1 of 2 slots", null,
                0, "me", NOW, NOW, NOW, null, null, "fix-open-slots=12", "no slot was left open", "c1", null);
        assertEquals(new TaskView(7, 3, TaskKind.REBALANCE, TaskState.RUNNING, "migrate", 1, 3, "moved 1 of 2 slots",
                null, 0, NOW, null, List.of(new StepTiming("fix-open-slots", 12, "no slot was left open"))),
                ClusterController.taskView(migrating));
    }

    @Test
    void aFinishedTaskHasNoCurrentStep() {
        Task deleted = new Task(7L, 3, "team", TaskKind.DELETE, TaskState.DONE, 2, "", null, 0, null, null, NOW, NOW,
                NOW, null, "remove-containers=5,remove-app=1", "asked the scheduler to remove 2 containers\n", null,
                null);
        TaskView view = ClusterController.taskView(deleted);
        assertEquals(null, view.step());
        assertEquals(2, view.stepsDone());
        assertEquals(List.of("remove-containers", "remove-app"), view.timings().stream().map(StepTiming::step).toList());
    }
}
