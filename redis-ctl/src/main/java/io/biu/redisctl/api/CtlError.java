package io.biu.redisctl.api;

import io.micronaut.http.HttpStatus;

/** redis-ctl's error codes, each with the HTTP status it is answered with. */
public enum CtlError {
    INVALID(HttpStatus.BAD_REQUEST),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED),
    FORBIDDEN(HttpStatus.FORBIDDEN),
    NOT_FOUND(HttpStatus.NOT_FOUND),
    CONFLICT(HttpStatus.CONFLICT),
    /** A task already runs on the cluster. */
    BUSY(HttpStatus.CONFLICT),
    NO_CAPACITY(HttpStatus.UNPROCESSABLE_ENTITY),
    /** The scheduler (or another dependency) did not answer. */
    UNAVAILABLE(HttpStatus.BAD_GATEWAY);

    private final HttpStatus status;

    CtlError(HttpStatus status) {
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}
