package io.biu.redisctl.task;

import io.biu.kit.crash.StepList;
import io.biu.redisctl.client.SlotMoveStep;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskStep;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** redis-ctl's crash points: every task kind's steps, and the steps of a slot's move. */
@Singleton
final class TaskSteps implements StepList {

    @Override
    public String operation() {
        return "tasks";
    }

    @Override
    public List<String> steps() {
        Set<String> steps = new LinkedHashSet<>();
        for (TaskKind kind : TaskKind.values()) {
            kind.steps().stream().map(TaskStep::id).forEach(steps::add);
        }
        Arrays.stream(SlotMoveStep.values()).map(SlotMoveStep::id).forEach(steps::add);
        return new ArrayList<>(steps);
    }
}
