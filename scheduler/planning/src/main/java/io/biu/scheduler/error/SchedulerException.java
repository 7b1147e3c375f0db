package io.biu.scheduler.error;

import java.util.Locale;
import java.util.Objects;

/** The scheduler's one exception type: an error code and a message that says what to fix. */
public final class SchedulerException extends RuntimeException {

    private final SchedulerError error;

    public SchedulerException(SchedulerError error, String message) {
        super(message);
        this.error = Objects.requireNonNull(error, "error");
    }

    public SchedulerException(SchedulerError error, String message, Throwable cause) {
        super(message, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    public SchedulerError error() {
        return error;
    }

    /** An error with a formatted message ({@link String#format} with the root locale). */
    public static SchedulerException invalid(SchedulerError error, String format, Object... args) {
        return new SchedulerException(error, String.format(Locale.ROOT, format, args));
    }

    public static SchedulerException notFound(String what, Object name) {
        return new SchedulerException(SchedulerError.NOT_FOUND, what + " '" + name + "' does not exist");
    }
}
