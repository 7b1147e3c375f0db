package io.biu.redisctl.api;

import io.biu.kit.error.ErrorCode;
import io.biu.kit.error.ErrorKind;

/** redis-ctl's error codes, each of a kind that says what the caller should do about it. */
public enum CtlError implements ErrorCode {
    INVALID(ErrorKind.INVALID),
    UNAUTHENTICATED(ErrorKind.UNAUTHENTICATED),
    FORBIDDEN(ErrorKind.FORBIDDEN),
    NOT_FOUND(ErrorKind.NOT_FOUND),
    CONFLICT(ErrorKind.CONFLICT),
    /** A task already runs on the cluster. */
    BUSY(ErrorKind.CONFLICT),
    NO_CAPACITY(ErrorKind.NO_CAPACITY),
    /** The tenant's quota has no room for it. */
    QUOTA_EXCEEDED(ErrorKind.NO_CAPACITY),
    /** The scheduler (or another dependency) did not answer. */
    UNAVAILABLE(ErrorKind.UNAVAILABLE);

    private final ErrorKind kind;

    CtlError(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
