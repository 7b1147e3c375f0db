package io.biu.admin.api;

/** A failure with a code and a message that tells the caller what to fix. */
public class AdminException extends RuntimeException {

    private final AdminError error;

    public AdminException(AdminError error, String message) {
        super(message);
        this.error = error;
    }

    public AdminError error() {
        return error;
    }
}
