package io.biu.redisctl.task;

import io.biu.redisctl.api.CtlException;
import java.time.Duration;
import java.util.function.Supplier;

/** Polling for a condition inside a step, for as long as the step's run holds its task. */
public final class Waits {

    private static final Duration POLL = Duration.ofMillis(200);

    private Waits() {
    }

    /**
     * Polls {@code check} every 200 ms until it gives a value. Failures of a poll are retried (the last is
     * reported); a timeout is an error the task retries. Redis-ctl's own refusals and a lost lease end the wait: the
     * run's claim is checked before every poll ({@link TaskContext#ensureHeld}) and the pause between polls ends when
     * it is lost, so a check that acts (a probe that deploys again, a command that fixes what it finds) never acts
     * once another claim may run the step.
     */
    public static <T> T until(TaskContext context, Duration timeout, String what, Supplier<T> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            context.ensureHeld();
            try {
                T value = check.get();
                if (value != null) {
                    return value;
                }
            } catch (CtlException | TaskContext.LeaseLost e) {
                throw e;
            } catch (RuntimeException e) {
                last = e;
            }
            context.sleep(POLL);
        }
        throw new IllegalStateException("gave up waiting " + timeout.toSeconds() + " s for " + what
                + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
    }
}
