package io.biu.redismonitor.scaling;

import io.biu.redismonitor.client.ActionKind;
import io.biu.redismonitor.client.ActionState;
import io.biu.redismonitor.client.ActionStep;
import io.biu.redismonitor.client.ActionView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A scaling action on one cluster: its kind, the last of its kind's steps it completed ({@code step}, stored by the
 * step's id) and what the steps learnt (containers deployed, redis-ctl's task). At most one runs per cluster.
 */
@MappedEntity("action")
public record Action(
        @Id @GeneratedValue @Nullable Long id,
        long clusterId,
        String tenant,
        String cluster,
        ActionKind kind,
        int masters,
        @Nullable Long subject,
        ActionState state,
        String step,
        String known,
        String containers,
        @Nullable Long taskId,
        String detail,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant finishedAt) {

    static Action start(long clusterId, String tenant, String cluster, ActionKind kind, int masters,
            @Nullable Long subject, List<Long> known, Instant now) {
        return new Action(null, clusterId, tenant, cluster, kind, masters, subject, ActionState.RUNNING,
                kind.first().id(), ids(known), "", null, "", now, now, null);
    }

    public boolean running() {
        return state == ActionState.RUNNING;
    }

    /** The last step it completed, one of its kind's. */
    ActionStep lastStep() {
        return kind.step(step);
    }

    List<Long> knownIds() {
        return parse(known);
    }

    List<Long> containerIds() {
        return parse(containers);
    }

    /** The action having completed {@code next}, one of its kind's steps; {@code text} tells where it is. */
    Action at(ActionStep next, String text, Instant now) {
        if (!kind.steps().contains(next)) {
            throw new IllegalArgumentException("a " + kind.id() + " has no step " + next.id());
        }
        return new Action(id, clusterId, tenant, cluster, kind, masters, subject, state, next.id(), known, containers,
                taskId, text, createdAt, now, finishedAt);
    }

    /** The action where it is, telling something new. */
    Action telling(String text, Instant now) {
        return new Action(id, clusterId, tenant, cluster, kind, masters, subject, state, step, known, containers,
                taskId, text, createdAt, now, finishedAt);
    }

    Action withContainers(List<Long> deployed, Instant now) {
        return new Action(id, clusterId, tenant, cluster, kind, masters, subject, state, step, known, ids(deployed),
                taskId, detail, createdAt, now, finishedAt);
    }

    Action withTask(long task, Instant now) {
        return new Action(id, clusterId, tenant, cluster, kind, masters, subject, state, step, known, containers, task,
                detail, createdAt, now, finishedAt);
    }

    Action finished(ActionState end, String text, Instant now) {
        return new Action(id, clusterId, tenant, cluster, kind, masters, subject, end, step, known, containers, taskId,
                text, createdAt, now, now);
    }

    /** As the API shows it. */
    ActionView view() {
        return new ActionView(id, kind, state, step, masters, subject, containerIds(), taskId, detail, createdAt,
                finishedAt);
    }

    private static String ids(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static List<Long> parse(String text) {
        return text.isEmpty() ? List.of() : Arrays.stream(text.split(",")).map(Long::valueOf).toList();
    }
}
