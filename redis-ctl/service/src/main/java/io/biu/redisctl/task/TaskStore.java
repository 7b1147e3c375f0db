package io.biu.redisctl.task;

import io.biu.kit.lease.DatabaseClock;
import io.biu.redisctl.client.TaskState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The task table's transactions: claiming tasks and changing them under their claims, whose leases are timed by the
 * database's clock (so that replicas whose clocks disagree still agree on whose a task is).
 *
 * <p>Each claim gets an id of its own. Every change a running process makes (progress, renewal, a step done, a failed
 * run, the end) names the task as the process last saw it, and is a compare-and-set under the row's lock: it is made
 * only while the row is still under that claim, at that step, with the claim's lease unexpired
 * ({@link Task#heldUnder}). Otherwise the claim is lost: nothing is written, the caller gets nothing back, and must
 * stop. Another process can only have claimed the task after the lease lapsed, and its claim replaced the id, so a
 * process that stalled past its lease never records a step it finished late.
 *
 * <p>A lapsed claim is taken over only once a grace has passed after its lease ({@link #claim}): its holder stopped
 * acting by its own clock before the lease ran out ({@link ClaimFence}), so nobody acts on the task in between.
 */
@Singleton
public class TaskStore {

    /** Never a task's id (ids start at 1): keeps the exclusion of a claim non-empty, which SQL's NOT IN needs. */
    private static final long NO_TASK = 0;

    /** This process, as the task table knows it (for people: a claim's id is what is compared). */
    private final String me = UUID.randomUUID().toString();
    private final TaskRepository tasks;
    private final DatabaseClock clock;

    TaskStore(TaskRepository tasks, DatabaseClock clock) {
        this.tasks = tasks;
        this.clock = clock;
    }

    /**
     * Claims the oldest runnable task for {@code lease} under a new claim id, if any; never one of {@code running}
     * (the tasks this process runs, whose leases may have lapsed while it stalled). A task whose claim's lease lapsed
     * is taken over only once {@code grace} has passed since ({@link TaskRepository#findRunnable}).
     */
    @Transactional
    public Optional<Task> claim(Duration lease, Duration grace, Set<Long> running) {
        Set<Long> excluded = new HashSet<>(running);
        excluded.add(NO_TASK);
        Instant now = clock.now();
        return tasks.findRunnable(now, now.minus(grace), excluded).map(t -> tasks.update(t.claimed(me,
                UUID.randomUUID().toString(), now.plus(lease), now)));
    }

    /** Renews {@code held}'s lease for {@code lease}, recording {@code progress} if any; empty if the claim is lost. */
    @Transactional
    public Optional<Task> renew(Task held, Duration lease, @Nullable String progress) {
        return change(held, (t, now) -> {
            Task renewed = t.renewed(now.plus(lease), now);
            return progress == null ? renewed : renewed.progressed(progress, now);
        });
    }

    /** Records {@code held}'s current step as done after {@code tookMs}; empty if the claim is lost. */
    @Transactional
    public Optional<Task> stepDone(Task held, Duration lease, long tookMs) {
        return change(held, (t, now) -> t.stepDone(tookMs, now.plus(lease), now));
    }

    /**
     * Records a failed run of {@code held}'s current step: the task is released for a retry, or failed if the failure
     * is {@code permanent} or the step has failed for {@code giveUp} ({@link Task#failedRun}); empty if the claim is
     * lost.
     */
    @Transactional
    public Optional<Task> failedRun(Task held, String why, boolean permanent, Duration giveUp) {
        return change(held, (t, now) -> t.failedRun(why, permanent, giveUp, now));
    }

    /** Ends {@code held}; empty if the claim is lost. */
    @Transactional
    public Optional<Task> finish(Task held, TaskState end, @Nullable String why) {
        return change(held, (t, now) -> t.finished(end, why, now));
    }

    /** The compare-and-set: {@code change} of the locked row, if it is still held as {@code held} says. */
    private Optional<Task> change(Task held, BiFunction<Task, Instant, Task> change) {
        Optional<Task> row = tasks.findByIdForUpdate(held.id());
        // read once the row is locked; a claim another process took meanwhile fails on its id, whatever the clock says
        Instant now = clock.now();
        return row.filter(t -> t.heldUnder(held, now)).map(t -> tasks.update(change.apply(t, now)));
    }
}
