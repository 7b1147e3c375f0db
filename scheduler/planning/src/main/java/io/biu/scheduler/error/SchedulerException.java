package io.biu.scheduler.error;

import io.biu.kit.error.ServiceException;

/** The scheduler's one exception type: an error code and a message that says what to fix. */
public final class SchedulerException extends ServiceException {

    public SchedulerException(SchedulerError error, String message) {
        super(error, message);
    }

    public SchedulerException(SchedulerError error, String message, Throwable cause) {
        super(error, message, cause);
    }

    public SchedulerError error() {
        return (SchedulerError) code();
    }

    /** An error with a formatted message ({@link String#format} with the root locale). */
    public static SchedulerException invalid(SchedulerError error, String format, Object... args) {
        return new SchedulerException(error, format(format, args));
    }

    public static SchedulerException notFound(String what, Object name) {
        return new SchedulerException(SchedulerError.NOT_FOUND, what + " '" + name + "' does not exist");
    }
}
