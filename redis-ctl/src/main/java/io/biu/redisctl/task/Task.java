package io.biu.redisctl.task;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A long operation on a cluster: a list of named, idempotent steps (given by its {@link TaskKind}) run in
 * order by whichever process holds its lease. {@code step} is the index of the next step to run, so a task
 * whose process died resumes at the step it was in.
 */
@MappedEntity("task")
public record Task(
        @Id @GeneratedValue @Nullable Long id,
        long clusterId,
        String tenant,
        TaskKind kind,
        TaskState state,
        int step,
        String progress,
        @Nullable String error,
        int attempts,
        @Nullable String holder,
        @Nullable Instant leaseUntil,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant finishedAt,
        @Nullable Long subject,
        String timings) {

    public enum TaskState { PENDING, RUNNING, DONE, FAILED }

    public static Task pending(long clusterId, String tenant, TaskKind kind, Instant now) {
        return pending(clusterId, tenant, kind, null, now);
    }

    /** A task about one instance of the cluster ({@code subject}), such as a drain. */
    public static Task pending(long clusterId, String tenant, TaskKind kind, @Nullable Long subject, Instant now) {
        return new Task(null, clusterId, tenant, kind, TaskState.PENDING, 0, "", null, 0, null, null, now, now, null,
                subject, "");
    }

    /** A finished step and how long its successful run took. */
    @Serdeable
    public record Timing(String step, long tookMs) {
    }

    /** The steps finished so far, in order, with their durations. */
    public List<Timing> stepTimings() {
        List<Timing> done = new ArrayList<>();
        for (String entry : timings.isEmpty() ? new String[0] : timings.split(",")) {
            int eq = entry.lastIndexOf('=');
            done.add(new Timing(entry.substring(0, eq), Long.parseLong(entry.substring(eq + 1))));
        }
        return done;
    }

    public boolean open() {
        return state == TaskState.PENDING || state == TaskState.RUNNING;
    }

    Task leased(String by, Instant until, Instant now) {
        return new Task(id, clusterId, tenant, kind, TaskState.RUNNING, step, progress, error, attempts, by, until, createdAt,
                now, finishedAt, subject, timings);
    }

    /** The current step done, in {@code tookMs}: the next one is due. */
    Task stepDone(long tookMs, Instant until, Instant now) {
        String timing = kind.steps().get(step) + "=" + tookMs;
        return new Task(id, clusterId, tenant, kind, state, step + 1, progress, null, 0, holder, until, createdAt, now,
                finishedAt, subject, timings.isEmpty() ? timing : timings + "," + timing);
    }

    Task progressed(String text, Instant now) {
        return new Task(id, clusterId, tenant, kind, state, step, text, error, attempts, holder, leaseUntil, createdAt, now,
                finishedAt, subject, timings);
    }

    /** A failed run of the current step: released until {@code retryAt}, when any process may try again. */
    Task retry(String why, Instant retryAt, Instant now) {
        return new Task(id, clusterId, tenant, kind, state, step, progress, why, attempts + 1, null, retryAt, createdAt, now,
                finishedAt, subject, timings);
    }

    Task finished(TaskState end, @Nullable String why, Instant now) {
        return new Task(id, clusterId, tenant, kind, end, step, progress, why, attempts, null, null, createdAt, now, now, subject,
                timings);
    }
}
