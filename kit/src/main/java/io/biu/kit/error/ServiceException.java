package io.biu.kit.error;

import java.util.Locale;
import java.util.Objects;

/**
 * A failure with a code from the service's closed set and a message that tells the caller what to fix. Each
 * service's own exception extends this (with its factories); one handler answers all of them.
 */
public class ServiceException extends RuntimeException {

    private final ErrorCode code;

    public ServiceException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ServiceException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    public ErrorKind kind() {
        return code.kind();
    }

    /** {@link String#format} with the root locale, so messages read the same on every machine. */
    protected static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
