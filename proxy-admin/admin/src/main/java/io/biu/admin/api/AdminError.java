package io.biu.admin.api;

import io.micronaut.http.HttpStatus;

/** proxy-admin's error codes, each with the HTTP status it is answered with. */
public enum AdminError {
    INVALID(HttpStatus.BAD_REQUEST),
    NOT_FOUND(HttpStatus.NOT_FOUND),
    CONFLICT(HttpStatus.CONFLICT),
    NO_CAPACITY(HttpStatus.UNPROCESSABLE_ENTITY),
    /** The scheduler or redis-ctl did not answer. */
    UNAVAILABLE(HttpStatus.BAD_GATEWAY);

    private final HttpStatus status;

    AdminError(HttpStatus status) {
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}
