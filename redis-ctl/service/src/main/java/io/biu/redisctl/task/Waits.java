package io.biu.redisctl.task;

import io.biu.redisctl.api.CtlException;
import java.time.Duration;
import java.util.function.Supplier;

/** Polling for a condition inside a step. */
public final class Waits {

    private Waits() {
    }

    /**
     * Polls {@code check} every 200 ms until it gives a value. Failures of a poll are retried (the last is
     * reported); a timeout is an error the task retries. Redis-ctl's own refusals and a lost lease end the wait.
     */
    public static <T> T until(Duration timeout, String what, Supplier<T> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
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
            sleep(200);
        }
        throw new IllegalStateException("gave up waiting " + timeout.toSeconds() + " s for " + what
                + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
