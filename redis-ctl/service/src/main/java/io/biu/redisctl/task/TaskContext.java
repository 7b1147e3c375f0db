package io.biu.redisctl.task;

/** What a running step may tell its task: progress people can read, which also keeps the task's lease. */
public interface TaskContext {

    /** Records progress and renews the lease; throws {@link LeaseLost} if another process took the task. */
    void progress(String text);

    /** The task's lease went to another process (this one stalled past it): the step must stop. */
    final class LeaseLost extends RuntimeException {
        public LeaseLost(long task) {
            super("task " + task + " is no longer held by this process");
        }
    }
}
