package io.biu.kit.error;

import io.biu.kit.text.Brief;
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

    /**
     * {@link String#format} with the root locale, so messages read the same on every machine; text arguments are
     * quoted {@linkplain Brief briefly}, so a message never echoes a request's bulk.
     */
    protected static String format(String format, Object... args) {
        Object[] brief = args.clone();
        for (int i = 0; i < brief.length; i++) {
            if (brief[i] instanceof CharSequence text) {
                brief[i] = Brief.of(text);
            }
        }
        return String.format(Locale.ROOT, format, brief);
    }
}
