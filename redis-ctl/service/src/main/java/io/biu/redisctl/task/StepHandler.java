package io.biu.redisctl.task;

import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskStep;
import io.biu.redisctl.store.Cluster;

/**
 * Runs the steps of one {@link TaskKind}, whose steps are the constants of {@code S}. Every step must be idempotent: a
 * step may be run again after a crash.
 *
 * <p>{@link #code} binds each step to its code with a switch expression over {@code S} and no default branch, so a
 * step declared without code does not compile.
 *
 * @param <S> the kind's step enum ({@code TaskKind.Form} for {@link TaskKind#FORM})
 */
public interface StepHandler<S extends Enum<S> & TaskStep> {

    TaskKind kind();

    /** The enum of {@link #kind()}'s steps. */
    Class<S> steps();

    /** The code of {@code step} of {@code task} on {@code cluster}. */
    StepCode code(S step, Cluster cluster, Task task);

    /** After the last step. */
    void succeeded(Cluster cluster);

    /** When the task gives up. */
    void failed(Cluster cluster, String why);

    /** What one step does; it reports through its task's context. */
    @FunctionalInterface
    interface StepCode {
        void run(TaskContext context);
    }
}
