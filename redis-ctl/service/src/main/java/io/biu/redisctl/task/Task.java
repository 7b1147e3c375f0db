package io.biu.redisctl.task;

import io.biu.redisctl.client.StepTiming;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskState;
import io.biu.redisctl.client.TaskStep;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A long operation on a cluster: a list of named, idempotent steps (given by its {@link TaskKind}) run in
 * order by whichever process holds its lease. {@code step} is the index of the next step to run, so a task
 * whose process died resumes at the step it was in.
 *
 * <p>{@code progress} is what the current step (once all are done, the last step) last reported, empty until it
 * reports. When a step is done, its duration goes to {@code timings} ({@code step=ms} entries separated by commas)
 * and its last report to {@code reports} (a line per step, in the same order), so what a quick step said outlives
 * it.
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
        String timings,
        String reports) {


    public static Task pending(long clusterId, String tenant, TaskKind kind, Instant now) {
        return pending(clusterId, tenant, kind, null, now);
    }

    /** A task about one instance of the cluster ({@code subject}), such as a drain. */
    public static Task pending(long clusterId, String tenant, TaskKind kind, @Nullable Long subject, Instant now) {
        return new Task(null, clusterId, tenant, kind, TaskState.PENDING, 0, "", null, 0, null, null, now, now, null,
                subject, "", "");
    }

    /** The step running or due next; null once all are done. */
    @Nullable
    public TaskStep currentStep() {
        return step < kind.steps().size() ? kind.steps().get(step) : null;
    }

    /** The steps finished so far, in order, with their durations and last reports. */
    public List<StepTiming> stepTimings() {
        List<StepTiming> done = new ArrayList<>();
        String[] said = reports.split("\n", -1);
        String[] entries = timings.isEmpty() ? new String[0] : timings.split(",");
        for (int i = 0; i < entries.length; i++) {
            int eq = entries[i].lastIndexOf('=');
            // a task from before reports were kept has none
            String report = said.length == entries.length ? said[i] : "";
            done.add(new StepTiming(entries[i].substring(0, eq), Long.parseLong(entries[i].substring(eq + 1)), report));
        }
        return done;
    }

    public boolean open() {
        return state == TaskState.PENDING || state == TaskState.RUNNING;
    }

    Task leased(String by, Instant until, Instant now) {
        return new Task(id, clusterId, tenant, kind, TaskState.RUNNING, step, progress, error, attempts, by, until, createdAt,
                now, finishedAt, subject, timings, reports);
    }

    /**
     * The current step done, in {@code tookMs}: its report is kept, and the next step is due, with no report yet
     * (after the last step, progress stays what that step said).
     */
    Task stepDone(long tookMs, Instant until, Instant now) {
        String timing = kind.steps().get(step).id() + "=" + tookMs;
        String next = step + 1 < kind.steps().size() ? "" : progress;
        return new Task(id, clusterId, tenant, kind, state, step + 1, next, null, 0, holder, until, createdAt, now,
                finishedAt, subject, timings.isEmpty() ? timing : timings + "," + timing,
                timings.isEmpty() ? progress : reports + "\n" + progress);
    }

    Task progressed(String text, Instant now) {
        // one line per report, so that reports stays a line per step
        return new Task(id, clusterId, tenant, kind, state, step, text.replace('\n', ' '), error, attempts, holder,
                leaseUntil, createdAt, now, finishedAt, subject, timings, reports);
    }

    /** A failed run of the current step: released until {@code retryAt}, when any process may try again. */
    Task retry(String why, Instant retryAt, Instant now) {
        return new Task(id, clusterId, tenant, kind, state, step, progress, why, attempts + 1, null, retryAt, createdAt, now,
                finishedAt, subject, timings, reports);
    }

    Task finished(TaskState end, @Nullable String why, Instant now) {
        return new Task(id, clusterId, tenant, kind, end, step, progress, why, attempts, null, null, createdAt, now, now, subject,
                timings, reports);
    }
}
