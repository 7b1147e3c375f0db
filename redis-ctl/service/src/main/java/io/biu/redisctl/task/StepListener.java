package io.biu.redisctl.task;

import io.biu.redisctl.store.Cluster;

/** Told after each step of any task is recorded done: what the step changed is committed. */
public interface StepListener {

    /** A step of a task of {@code cluster} is done. It must not throw, nor take long. */
    void stepDone(Cluster cluster);
}
