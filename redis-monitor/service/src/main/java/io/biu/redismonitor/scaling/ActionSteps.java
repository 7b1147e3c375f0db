package io.biu.redismonitor.scaling;

import io.biu.kit.crash.StepList;
import jakarta.inject.Singleton;
import java.util.List;

/** redis-monitor's crash points: the steps of its scaling actions. */
@Singleton
final class ActionSteps implements StepList {

    @Override
    public String operation() {
        return "scaling actions";
    }

    @Override
    public List<String> steps() {
        return List.of(Action.RECORDED, "deployed", "ready", "joined", "done", "draining", "drained", "removed");
    }
}
