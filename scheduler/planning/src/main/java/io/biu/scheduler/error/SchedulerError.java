package io.biu.scheduler.error;

/**
 * Every way a scheduler request can fail, grouped by what the caller should do about it. The service
 * maps each {@link Kind} to one HTTP status in a single place.
 */
public enum SchedulerError {
    INVALID_REQUEST(Kind.INVALID),
    INVALID_CPU(Kind.INVALID),
    INVALID_MEMORY(Kind.INVALID),
    INVALID_COUNT(Kind.INVALID),
    INVALID_SHARE_BASE(Kind.INVALID),
    INVALID_STRATEGY(Kind.INVALID),
    INVALID_SUBNET(Kind.INVALID),
    INVALID_GROUPS(Kind.INVALID),
    INVALID_NAME(Kind.INVALID),
    UNAUTHENTICATED(Kind.UNAUTHENTICATED),
    FORBIDDEN(Kind.FORBIDDEN),
    NOT_FOUND(Kind.NOT_FOUND),
    ALREADY_EXISTS(Kind.CONFLICT),
    IN_USE(Kind.CONFLICT),
    CAPACITY_EXHAUSTED(Kind.NO_CAPACITY),
    SUBNET_EXHAUSTED(Kind.NO_CAPACITY),
    ENGINE_UNREACHABLE(Kind.UNAVAILABLE),
    ENGINE_FAILED(Kind.UNAVAILABLE);

    /** What kind of failure, independent of the exact cause. */
    public enum Kind {
        /** The request itself is wrong: fix it and send it again. */
        INVALID,
        /** No valid token: present one. */
        UNAUTHENTICATED,
        /** The token may not do this. */
        FORBIDDEN,
        /** What the request names does not exist (or is not the caller's to see). */
        NOT_FOUND,
        /** The request clashes with the current state. */
        CONFLICT,
        /** The request is fine but the resources to honour it are not there now. */
        NO_CAPACITY,
        /** A Docker engine did not answer or refused: try again later. */
        UNAVAILABLE
    }

    private final Kind kind;

    SchedulerError(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
