package io.biu.redismonitor.api;

import io.micronaut.http.HttpStatus;

/** redis-monitor's error codes, each with the HTTP status it is answered with. */
public enum MonitorError {
    INVALID(HttpStatus.BAD_REQUEST),
    FORBIDDEN(HttpStatus.FORBIDDEN),
    NOT_FOUND(HttpStatus.NOT_FOUND),
    /** redis-ctl or the scheduler did not answer. */
    UNAVAILABLE(HttpStatus.BAD_GATEWAY);

    private final HttpStatus status;

    MonitorError(HttpStatus status) {
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}
