package io.biu.scheduler.error;

/**
 * Every way a scheduler request can fail, grouped by what the caller should do about it. The service
 * maps each {@link Kind} to one HTTP status in a single place.
 */
public enum SchedulerError {
    INVALID_CPU(Kind.INVALID),
    INVALID_MEMORY(Kind.INVALID),
    INVALID_COUNT(Kind.INVALID),
    INVALID_SHARE_BASE(Kind.INVALID),
    INVALID_STRATEGY(Kind.INVALID),
    INVALID_SUBNET(Kind.INVALID),
    INVALID_GROUPS(Kind.INVALID),
    CAPACITY_EXHAUSTED(Kind.NO_CAPACITY),
    SUBNET_EXHAUSTED(Kind.NO_CAPACITY);

    /** What kind of failure, independent of the exact cause. */
    public enum Kind {
        /** The request itself is wrong: fix it and send it again. */
        INVALID,
        /** The request is fine but the resources to honour it are not there now. */
        NO_CAPACITY
    }

    private final Kind kind;

    SchedulerError(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
