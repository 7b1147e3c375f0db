package io.biu.redismonitor.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * A scaling action on a cluster ({@code GET /clusters/{id}/actions}, and with the decision that started it).
 *
 * @param step the last step it completed: one of its kind's {@link ActionKind#stepIds()}
 * @param masters masters it adds (scale-out) or removes (scale-in: 1)
 * @param drained scale-in: redis-ctl's instance it drains
 * @param containers scale-out: the scheduler's containers it deployed
 * @param task redis-ctl's task it started (join or drain), once started
 * @param detail its progress, or why it failed or was abandoned
 */
@Serdeable
public record ActionView(long id, ActionKind kind, ActionState state, String step, int masters,
        @Nullable Long drained, List<Long> containers, @Nullable Long task, String detail, Instant createdAt,
        @Nullable Instant finishedAt) {

    public boolean running() {
        return state == ActionState.RUNNING;
    }
}
