package io.biu.redisctl.task;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redisctl.client.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The task store of a process whose database stalls while told to: every change to a task it claimed (lease renewals,
 * progress, steps done) waits until the stall ends, then goes through to the database. Claims go through, as those of
 * a poll that comes once the database answers again would; held changes do not hold the row's lock meanwhile. It keeps
 * the end of the latest lease the database granted through it.
 */
final class StallingStore extends TaskStore {

    private final TaskStore database;
    private final AtomicReference<Instant> lastLease = new AtomicReference<>();
    private volatile CountDownLatch stall = new CountDownLatch(0);

    StallingStore(TaskStore database) {
        super(null, null);
        this.database = database;
    }

    void stall() {
        stall = new CountDownLatch(1);
    }

    void resume() {
        stall.countDown();
    }

    /** When the latest lease the database granted through this store ends. */
    Instant lastLease() {
        return lastLease.get();
    }

    @Override
    public Optional<Task> claim(Duration lease, Duration grace, Set<Long> running) {
        return granted(database.claim(lease, grace, running));
    }

    @Override
    public Optional<Task> renew(Task held, Duration lease, String progress) {
        waitOut();
        return granted(database.renew(held, lease, progress));
    }

    @Override
    public Optional<Task> stepDone(Task held, Duration lease, long tookMs) {
        waitOut();
        return granted(database.stepDone(held, lease, tookMs));
    }

    @Override
    public Optional<Task> failedRun(Task held, String why, boolean permanent, Duration giveUp) {
        waitOut();
        return database.failedRun(held, why, permanent, giveUp);
    }

    @Override
    public Optional<Task> finish(Task held, TaskState end, String why) {
        waitOut();
        return database.finish(held, end, why);
    }

    private Optional<Task> granted(Optional<Task> task) {
        task.map(Task::leaseUntil).ifPresent(until -> lastLease.accumulateAndGet(until,
                (a, b) -> a == null || b.isAfter(a) ? b : a));
        return task;
    }

    private void waitOut() {
        try {
            assertTrue(stall.await(10, TimeUnit.SECONDS), "the stall never ended");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
