package io.biu.admin.api;

import io.biu.kit.error.ErrorCode;
import io.biu.kit.error.ErrorKind;

/** proxy-admin's error codes, each of a kind that says what the caller should do about it. */
public enum AdminError implements ErrorCode {
    INVALID(ErrorKind.INVALID),
    NOT_FOUND(ErrorKind.NOT_FOUND),
    /** The caller may not do that, whatever it asks. */
    FORBIDDEN(ErrorKind.FORBIDDEN),
    CONFLICT(ErrorKind.CONFLICT),
    NO_CAPACITY(ErrorKind.NO_CAPACITY),
    /** The tenant's quota has no room for it. */
    QUOTA_EXCEEDED(ErrorKind.NO_CAPACITY),
    /** The scheduler or redis-ctl did not answer. */
    UNAVAILABLE(ErrorKind.UNAVAILABLE);

    private final ErrorKind kind;

    AdminError(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
