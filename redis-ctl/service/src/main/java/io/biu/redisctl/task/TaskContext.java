package io.biu.redisctl.task;

import java.time.Duration;

/**
 * What a running step may tell its task, and ask of it: progress people can read (which also keeps the task's lease),
 * and whether the run still holds its claim.
 *
 * <p>A step acts on the world (Redis, the scheduler, backup files) only while its run holds the task's claim. It calls
 * {@link #ensureHeld} before each side effect of a loop, and waits only through {@link #sleep} (or
 * {@link Waits#until}), which end at once when the claim is lost: so a run that lost its claim stops within one side
 * effect, before another claim may start the step again. {@link ClaimFence} says what that guarantee assumes.
 */
public interface TaskContext {

    /** Records progress and renews the lease; throws {@link LeaseLost} if the run's claim on the task is lost. */
    void progress(String text);

    /**
     * Throws {@link LeaseLost} unless the run still holds its claim by its own clock (its lease, as this process last
     * renewed it, has not run out, and no renewal was refused). Costs no I/O: call it before every side effect of a
     * loop, from any thread the step acts on.
     */
    void ensureHeld();

    /** Waits {@code time}, or less: throws {@link LeaseLost} as soon as the run no longer holds its claim. */
    void sleep(Duration time);

    /**
     * The run's claim on its task is lost: this process stalled past the claim's lease, and the task may already run
     * under another claim. The step must stop; nothing it does from now on is recorded.
     */
    final class LeaseLost extends RuntimeException {
        public LeaseLost(long task) {
            super("task " + task + " is no longer held under this run's claim");
        }

        LeaseLost(long task, String why) {
            super("task " + task + " is no longer held under this run's claim: " + why);
        }
    }
}
