package io.biu.redisctl.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * A task on a cluster: its kind, where it is ({@code step} is the one running or next, null once all are done;
 * {@code stepsDone} of {@code steps}), what the current step last reported, why it failed, and every finished step's
 * time and last report.
 */
@Serdeable
public record TaskView(long id, long cluster, TaskKind kind, TaskState state, @Nullable String step, int stepsDone,
        int steps, String progress, @Nullable String error, int attempts, Instant createdAt,
        @Nullable Instant finishedAt, List<StepTiming> timings) {

    public boolean open() {
        return state.open();
    }

    public boolean done() {
        return state == TaskState.DONE;
    }
}
