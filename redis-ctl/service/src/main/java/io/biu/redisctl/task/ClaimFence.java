package io.biu.redisctl.task;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A run's claim on its task as the run itself sees it, by this process's monotonic clock ({@link System#nanoTime}):
 * the claim is held until a deadline of its own, and once that passes without a renewal, or a renewal is refused, it
 * is lost for good and the run stops acting ({@link TaskContext#ensureHeld}).
 *
 * <h2>Why the holder fences itself</h2>
 * The task table decides who holds a task, on the database's clock ({@link TaskStore}); a holder learns that it lost
 * its claim only from a refused write. A holder whose database stalled past the lease learns it only once the database
 * answers, and by then another process may already have taken the task over: for a moment, both would act. So the
 * holder does not wait to be told. Each round trip that took or renewed the lease (a claim, a renewal, a report, a step
 * done) sets the deadline to the moment it was <em>asked for</em> plus the lease: the database computed its own
 * {@code lease_until} from its clock at some moment after that, so the holder's deadline comes no later than the
 * table's. Another process claims a lapsed task only once {@code lease_until + biu.redis-ctl.task-takeover-grace} has
 * passed on the database's clock ({@link TaskRepository#findRunnable}). Between the old holder's last side effect and
 * the new holder's first lies at least the grace, in which nobody acts.
 *
 * <h2>What that assumes</h2>
 * <ul>
 *   <li>The rates of this process's monotonic clock and the database's clock differ by little over a lease (NTP keeps
 *       drift to parts per million; the grace absorbs what remains). The database's clock is not stepped back by more
 *       than a small part of the grace while leases run.</li>
 *   <li>Steps call {@link TaskContext#ensureHeld} before each side effect and wait only through
 *       {@link TaskContext#sleep} or {@link Waits#until}, so what lands after the deadline is at most what one check
 *       let through just before it: one round of commands (a slot move's pipeline of {@code MIGRATE}s, a batch of
 *       restored keys, one call to the scheduler). A round usually takes milliseconds; at worst it takes its timeout
 *       (a slot-migration round, {@code biu.redis-ctl.migration.timeout}, 5 s), which must stay below the grace
 *       (10 s by default, a third of the lease).</li>
 *   <li>One side effect in flight at the deadline may still land after it. Steps are idempotent, so the next claim's
 *       run of the step finds it done, or does it again.</li>
 * </ul>
 * Nothing here interrupts the step's threads: an interrupt would land in whatever the thread is blocked on (a JDBC
 * call, a Lettuce command, a file channel, which an interrupt closes) rather than stop the side effect, which has
 * already been sent. Waiting is where a run spends its time, and waiting ends at the deadline.
 */
final class ClaimFence {

    private final long task;
    private final long leaseNanos;
    /** {@link System#nanoTime} when the claim runs out, unless renewed; written under this object's lock. */
    private volatile long deadline;
    /** Why the claim is lost; null while it is held. Written under this object's lock, never cleared. */
    private volatile String lost;

    /**
     * The fence of a claim of {@code task} taken for {@code lease} by a round trip that started at {@code askedAt}
     * ({@link System#nanoTime}).
     */
    ClaimFence(long task, Duration lease, long askedAt) {
        this.task = task;
        this.leaseNanos = lease.toNanos();
        this.deadline = askedAt + leaseNanos;
    }

    /**
     * A round trip that started at {@code askedAt} renewed the lease: the deadline moves to {@code askedAt} plus the
     * lease, unless it is later already. A claim already lost stays lost.
     */
    synchronized void renewed(long askedAt) {
        long until = askedAt + leaseNanos;
        if (lost == null && until - deadline > 0) {
            deadline = until;
        }
    }

    /** The task table refused a change under the claim: another claim replaced it, or its lease lapsed. */
    synchronized void refused() {
        if (lost == null) {
            lost = "the task table refused a change under it (its lease lapsed, or another claim took the task)";
        }
        notifyAll();
    }

    /** Whether the claim is still held: not refused, and its deadline not passed. */
    boolean held() {
        if (lost != null) {
            return false;
        }
        return System.nanoTime() - deadline < 0 || heldPastDeadline();
    }

    /** Throws {@link TaskContext.LeaseLost} unless the claim is still held. */
    void ensureHeld() {
        if (!held()) {
            throw new TaskContext.LeaseLost(task, lost);
        }
    }

    /** Waits {@code time}, or until the claim is lost, when it throws {@link TaskContext.LeaseLost}. */
    void sleep(Duration time) {
        long end = System.nanoTime() + time.toNanos();
        synchronized (this) {
            while (true) {
                ensureHeld();
                long now = System.nanoTime();
                long left = end - now;
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, deadline - now));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting in a step of task " + task, e);
                }
            }
        }
    }

    /** Past the deadline as last read: lost, unless a renewal moved the deadline meanwhile. */
    private synchronized boolean heldPastDeadline() {
        long over = System.nanoTime() - deadline;
        if (lost == null && over >= 0) {
            lost = "its lease ran out by this process's clock " + TimeUnit.NANOSECONDS.toMillis(over) + " ms ago, "
                    + "no renewal having come back in time (the database is slow or unreachable)";
        }
        return lost == null;
    }
}
