package io.biu.scheduler.error;

import io.biu.kit.error.ErrorCode;
import io.biu.kit.error.ErrorKind;

/** Every way a scheduler request can fail, each of a kind that says what the caller should do about it. */
public enum SchedulerError implements ErrorCode {
    INVALID_REQUEST(ErrorKind.INVALID),
    INVALID_CPU(ErrorKind.INVALID),
    INVALID_MEMORY(ErrorKind.INVALID),
    INVALID_COUNT(ErrorKind.INVALID),
    INVALID_SHARE_BASE(ErrorKind.INVALID),
    INVALID_STRATEGY(ErrorKind.INVALID),
    INVALID_SUBNET(ErrorKind.INVALID),
    INVALID_GROUPS(ErrorKind.INVALID),
    INVALID_NAME(ErrorKind.INVALID),
    /** A deployment's volume keys: malformed, repeated, not one per container, or for an app without a volume. */
    INVALID_VOLUME(ErrorKind.INVALID),
    UNAUTHENTICATED(ErrorKind.UNAUTHENTICATED),
    FORBIDDEN(ErrorKind.FORBIDDEN),
    NOT_FOUND(ErrorKind.NOT_FOUND),
    ALREADY_EXISTS(ErrorKind.CONFLICT),
    IN_USE(ErrorKind.CONFLICT),
    CAPACITY_EXHAUSTED(ErrorKind.NO_CAPACITY),
    /** The tenant would hold more than its quota allows. */
    QUOTA_EXCEEDED(ErrorKind.NO_CAPACITY),
    SUBNET_EXHAUSTED(ErrorKind.NO_CAPACITY),
    /** A Docker engine did not answer. */
    ENGINE_UNREACHABLE(ErrorKind.UNAVAILABLE),
    /** A Docker engine refused. */
    ENGINE_FAILED(ErrorKind.UNAVAILABLE);

    private final ErrorKind kind;

    SchedulerError(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
