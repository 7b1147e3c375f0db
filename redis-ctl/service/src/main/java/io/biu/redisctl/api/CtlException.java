package io.biu.redisctl.api;

import io.biu.kit.error.ServiceException;

/** redis-ctl's one exception type: a code and a message that tells the caller what to fix. */
public class CtlException extends ServiceException {

    public CtlException(CtlError error, String message) {
        super(error, message);
    }

    public CtlException(CtlError error, String message, Throwable cause) {
        super(error, message, cause);
    }

    public static CtlException invalid(String format, Object... args) {
        return new CtlException(CtlError.INVALID, format(format, args));
    }

    public CtlError error() {
        return (CtlError) code();
    }
}
