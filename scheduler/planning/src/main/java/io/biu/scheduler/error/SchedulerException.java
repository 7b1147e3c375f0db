package io.biu.scheduler.error;

import java.util.Objects;

/** The scheduler's one exception type: an error code and a message that says what to fix. */
public final class SchedulerException extends RuntimeException {

    private final SchedulerError error;

    public SchedulerException(SchedulerError error, String message) {
        super(message);
        this.error = Objects.requireNonNull(error, "error");
    }

    public SchedulerError error() {
        return error;
    }

    public static SchedulerException invalid(SchedulerError error, String format, Object... args) {
        return new SchedulerException(error, String.format(java.util.Locale.ROOT, format, args));
    }
}
