package io.biu.scheduler.cpu;

/** How a pod limits its containers' CPU on top of what the plan reserved. */
public enum CpuLimit {
    /**
     * CPU shares only: a container may burst into idle time of the cores it may run on and is guaranteed
     * its share under contention.
     */
    SHARES,
    /** A hard CFS quota of exactly the request per period, on top of the shares. */
    QUOTA
}
