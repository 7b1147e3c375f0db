package io.biu.redismonitor.scaling;

import io.biu.kit.crash.StepList;
import io.biu.redismonitor.client.ActionKind;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** redis-monitor's crash points: every action kind's steps ({@link ActionKind}), in order, each named once. */
@Singleton
final class ActionSteps implements StepList {

    @Override
    public String operation() {
        return "scaling actions";
    }

    @Override
    public List<String> steps() {
        Set<String> steps = new LinkedHashSet<>();
        for (ActionKind kind : ActionKind.values()) {
            steps.addAll(kind.stepIds());
        }
        return new ArrayList<>(steps);
    }
}
