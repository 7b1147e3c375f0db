package io.biu.redisctl.task;

import io.biu.redisctl.client.StepTiming;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskState;
import io.biu.redisctl.client.TaskStep;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Duration;
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
 *
 * <p>Each claim of the task by a process has an id of its own ({@code claimId}, null while nobody holds the task). A
 * process changes the task only under the claim it holds, at the step it runs, before the claim's lease lapses
 * ({@link #heldUnder}): once another claim replaced its own, or its lease lapsed, what it does is no longer recorded.
 * {@code failingSince} is when the current step first failed in a row of failures, null while it has not.
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
        String reports,
        @Nullable String claimId,
        @Nullable Instant failingSince) {


    public static Task pending(long clusterId, String tenant, TaskKind kind, Instant now) {
        return pending(clusterId, tenant, kind, null, now);
    }

    /** A task about one instance of the cluster ({@code subject}), such as a drain. */
    public static Task pending(long clusterId, String tenant, TaskKind kind, @Nullable Long subject, Instant now) {
        return new Task(null, clusterId, tenant, kind, TaskState.PENDING, 0, "", null, 0, null, null, now, now, null,
                subject, "", "", null, null);
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

    /**
     * Whether the process that last saw the task as {@code held} still holds it: the row is still under the claim
     * {@code held} names, at the step {@code held} runs, and the claim's lease has not lapsed by {@code now}. Every
     * change a process makes to a task it runs is a compare-and-set on this.
     */
    boolean heldUnder(Task held, Instant now) {
        return state == TaskState.RUNNING && held.claimId != null && held.claimId.equals(claimId) && held.step == step
                && leaseUntil != null && leaseUntil.isAfter(now);
    }

    /** Claimed by process {@code by} under a claim of id {@code claim}, whose lease lasts until {@code until}. */
    Task claimed(String by, String claim, Instant until, Instant now) {
        return new Task(id, clusterId, tenant, kind, TaskState.RUNNING, step, progress, error, attempts, by, until,
                createdAt, now, finishedAt, subject, timings, reports, claim, failingSince);
    }

    /** Its claim's lease renewed, until {@code until}. */
    Task renewed(Instant until, Instant now) {
        return new Task(id, clusterId, tenant, kind, state, step, progress, error, attempts, holder, until, createdAt,
                now, finishedAt, subject, timings, reports, claimId, failingSince);
    }

    /**
     * The current step done, in {@code tookMs}: its report is kept, and the next step is due, with no report yet
     * (after the last step, progress stays what that step said) and no failure.
     */
    Task stepDone(long tookMs, Instant until, Instant now) {
        String timing = kind.steps().get(step).id() + "=" + tookMs;
        String next = step + 1 < kind.steps().size() ? "" : progress;
        return new Task(id, clusterId, tenant, kind, state, step + 1, next, null, 0, holder, until, createdAt, now,
                finishedAt, subject, timings.isEmpty() ? timing : timings + "," + timing,
                timings.isEmpty() ? progress : reports + "\n" + progress, claimId, null);
    }

    Task progressed(String text, Instant now) {
        // one line per report, so that reports stays a line per step
        return new Task(id, clusterId, tenant, kind, state, step, text.replace('\n', ' '), error, attempts, holder,
                leaseUntil, createdAt, now, finishedAt, subject, timings, reports, claimId, failingSince);
    }

    /**
     * A failed run of the current step. A failure retrying cannot fix ({@code permanent}) ends the task at once.
     * Otherwise the task is released until a backoff (1 s, doubling up to 30 s) has passed, when any process may try
     * again, for as long as the step has failed for less than {@code giveUp}; the last try comes when that is up, and
     * if it fails too, the task fails.
     */
    Task failedRun(String why, boolean permanent, Duration giveUp, Instant now) {
        Instant since = failingSince == null ? now : failingSince;
        Instant deadline = since.plus(giveUp);
        if (permanent) {
            return finished(TaskState.FAILED, why, now);
        }
        if (!now.isBefore(deadline)) {
            return finished(TaskState.FAILED, why + " (tried " + (attempts + 1) + " times over "
                    + Duration.between(since, now).toSeconds() + " s, giving up after " + giveUp.toSeconds() + " s)",
                    now);
        }
        Instant retryAt = now.plus(backoff(attempts));
        return new Task(id, clusterId, tenant, kind, state, step, progress, why, attempts + 1, null,
                retryAt.isBefore(deadline) ? retryAt : deadline, createdAt, now, finishedAt, subject, timings, reports,
                null, since);
    }

    /** How long to wait before the next run of a step that failed {@code attempts} times before. */
    static Duration backoff(int attempts) {
        return Duration.ofSeconds(Math.min(30, 1L << Math.min(attempts, 5)));
    }

    Task finished(TaskState end, @Nullable String why, Instant now) {
        return new Task(id, clusterId, tenant, kind, end, step, progress, why, attempts, null, null, createdAt, now,
                now, subject, timings, reports, null, failingSince);
    }

    /**
     * A failed task opened again, from the step it failed at, as if that step had not failed yet: no error, no attempt
     * counted, for any process to claim.
     */
    public Task resumed(Instant now) {
        if (state != TaskState.FAILED) {
            throw new IllegalStateException("task " + id + " is " + state.id() + ": only a failed task is resumed");
        }
        return new Task(id, clusterId, tenant, kind, TaskState.PENDING, step, progress, null, 0, null, null, createdAt,
                now, null, subject, timings, reports, null, null);
    }
}
