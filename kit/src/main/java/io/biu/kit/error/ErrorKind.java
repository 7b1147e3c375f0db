package io.biu.kit.error;

/**
 * What kind of failure an error is, whatever its exact cause, and so what the caller should do about it. Each kind
 * is answered with one HTTP status, the same in every Biu service.
 */
public enum ErrorKind {
    /** The request itself is wrong: fix it and send it again. */
    INVALID(400),
    /** No valid token: present one. */
    UNAUTHENTICATED(401),
    /** The token may not do this. */
    FORBIDDEN(403),
    /** What the request names does not exist (or is not the caller's to see). */
    NOT_FOUND(404),
    /** The request clashes with the current state (a name taken, a task already running): look, then retry. */
    CONFLICT(409),
    /** The request is fine but the resources to honour it are not there now. */
    NO_CAPACITY(422),
    /** Something this service depends on (an engine, another service) did not answer: try again later. */
    UNAVAILABLE(502);

    private final int status;

    ErrorKind(int status) {
        this.status = status;
    }

    /** The HTTP status this kind is answered with. */
    public int status() {
        return status;
    }
}
