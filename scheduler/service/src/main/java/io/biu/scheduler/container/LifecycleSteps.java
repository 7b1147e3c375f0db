package io.biu.scheduler.container;

import io.biu.kit.crash.StepList;
import io.biu.scheduler.client.LifecycleStep;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.List;

/** The crash points of a container's deployment and removal: its {@link LifecycleStep}s. */
@Singleton
final class LifecycleSteps implements StepList {

    @Override
    public String operation() {
        return "container lifecycle";
    }

    @Override
    public List<String> steps() {
        return Arrays.stream(LifecycleStep.values()).map(LifecycleStep::id).toList();
    }
}
