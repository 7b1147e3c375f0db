package io.biu.scheduler.pod;

/** Whether a pod pins containers to cores. */
public enum CpuBinding {
    /** Exclusive cores plus one fragment core per container, pinned with a cpuset. */
    BOUND,
    /** No pinning: only the sum of requests is scheduled (tests, builds, other low-priority work). */
    PUBLIC
}
