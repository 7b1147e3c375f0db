package io.biu.admin.api;

import io.biu.kit.error.ServiceException;

/** proxy-admin's one exception type: a code and a message that tells the caller what to fix. */
public class AdminException extends ServiceException {

    public AdminException(AdminError error, String message) {
        super(error, message);
    }

    public AdminException(AdminError error, String message, Throwable cause) {
        super(error, message, cause);
    }

    public AdminError error() {
        return (AdminError) code();
    }
}
