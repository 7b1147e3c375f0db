package io.biu.redisctl.task;

/** What a running step may tell its task: progress people can read, which also keeps the task's lease. */
public interface TaskContext {

    /** Records progress and renews the lease; throws {@link LeaseLost} if the run's claim on the task is lost. */
    void progress(String text);

    /**
     * The run's claim on its task is lost: this process stalled past the claim's lease, and the task may already run
     * under another claim. The step must stop; nothing it does from now on is recorded.
     */
    final class LeaseLost extends RuntimeException {
        public LeaseLost(long task) {
            super("task " + task + " is no longer held under this run's claim");
        }
    }
}
