package io.biu.redisctl.task;


import io.biu.kit.lease.DatabaseClock;
import io.biu.redisctl.client.TaskState;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The task table's transactions: claiming, renewing and finishing tasks under their leases, which are timed by the
 * database's clock (so that replicas whose clocks disagree still agree on whose a task is).
 */
@Singleton
public class TaskStore {

    /** This process, as the task table knows it. */
    private final String me = UUID.randomUUID().toString();
    private final TaskRepository tasks;
    private final DatabaseClock clock;

    TaskStore(TaskRepository tasks, DatabaseClock clock) {
        this.tasks = tasks;
        this.clock = clock;
    }

    /** Takes the oldest runnable task for {@code lease}, if any. */
    @Transactional
    public Optional<Task> claim(Duration lease) {
        Instant now = clock.now();
        return tasks.findRunnable(now).map(t -> tasks.update(t.leased(me, now.plus(lease), now)));
    }

    /** The task as this process holds it; empty if another process took it. */
    @Transactional
    public Optional<Task> mine(long id, Duration lease, String progress) {
        Instant now = clock.now();
        Task t = tasks.findByIdForUpdate(id).orElseThrow();
        if (!me.equals(t.holder()) || t.state() != TaskState.RUNNING) {
            return Optional.empty();
        }
        Task renewed = t.leased(me, now.plus(lease), now);
        return Optional.of(tasks.update(progress == null ? renewed : renewed.progressed(progress, now)));
    }

    /** Records the current step as done after {@code tookMs}; empty if another process took the task. */
    @Transactional
    public Optional<Task> stepDone(long id, Duration lease, long tookMs) {
        Instant now = clock.now();
        Task t = tasks.findByIdForUpdate(id).orElseThrow();
        if (!me.equals(t.holder())) {
            return Optional.empty();
        }
        return Optional.of(tasks.update(t.stepDone(tookMs, now.plus(lease), now)));
    }

    @Transactional
    public void retry(long id, String why, Duration backoff) {
        Instant now = clock.now();
        tasks.findByIdForUpdate(id).filter(t -> me.equals(t.holder()))
                .ifPresent(t -> tasks.update(t.retry(why, now.plus(backoff), now)));
    }

    @Transactional
    public void finish(long id, TaskState end, String why) {
        Instant now = clock.now();
        tasks.findByIdForUpdate(id).filter(t -> me.equals(t.holder()))
                .ifPresent(t -> tasks.update(t.finished(end, why, now)));
    }
}
