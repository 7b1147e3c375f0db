package io.biu.redisctl.task;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The context of a step run outside a task runner, whose claim is always held: code that acts under a task's claim,
 * tested on its own, reports to {@code progress}.
 */
public record AlwaysHeld(Consumer<String> progress) implements TaskContext {

    /** A context that drops what it is told. */
    public static AlwaysHeld quiet() {
        return new AlwaysHeld(text -> { });
    }

    @Override
    public void progress(String text) {
        progress.accept(text);
    }

    @Override
    public void ensureHeld() {
    }

    @Override
    public void sleep(Duration time) {
        try {
            Thread.sleep(time.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
