package io.biu.redisctl.task;

import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.cluster.Cluster;

/** Runs the steps of one {@link TaskKind}. Every step must be idempotent: a step may be run again after a crash. */
public interface StepHandler {

    TaskKind kind();

    /** Runs step {@code step} of {@code task} on {@code cluster}. */
    void run(String step, Cluster cluster, Task task, TaskContext context);

    /** After the last step. */
    void succeeded(Cluster cluster);

    /** When the task gives up. */
    void failed(Cluster cluster, String why);
}
