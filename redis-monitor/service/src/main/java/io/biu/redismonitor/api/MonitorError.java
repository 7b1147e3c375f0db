package io.biu.redismonitor.api;

import io.biu.kit.error.ErrorCode;
import io.biu.kit.error.ErrorKind;

/** redis-monitor's error codes, each of a kind that says what the caller should do about it. */
public enum MonitorError implements ErrorCode {
    INVALID(ErrorKind.INVALID),
    FORBIDDEN(ErrorKind.FORBIDDEN),
    NOT_FOUND(ErrorKind.NOT_FOUND),
    /** redis-ctl or the scheduler did not answer. */
    UNAVAILABLE(ErrorKind.UNAVAILABLE);

    private final ErrorKind kind;

    MonitorError(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
