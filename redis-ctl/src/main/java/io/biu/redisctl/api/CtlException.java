package io.biu.redisctl.api;

/** A failure with a code and a message that tells the caller what to fix. */
public class CtlException extends RuntimeException {

    private final CtlError error;

    public CtlException(CtlError error, String message) {
        super(message);
        this.error = error;
    }

    public CtlException(CtlError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public static CtlException invalid(String format, Object... args) {
        return new CtlException(CtlError.INVALID, String.format(format, args));
    }

    public CtlError error() {
        return error;
    }
}
