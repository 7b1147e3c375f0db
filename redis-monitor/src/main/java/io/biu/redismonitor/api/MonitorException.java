package io.biu.redismonitor.api;

/** A refusal or failure the API answers with its code and a message that says what to do. */
public class MonitorException extends RuntimeException {

    private final MonitorError error;

    public MonitorException(MonitorError error, String message) {
        super(message);
        this.error = error;
    }

    public MonitorException(MonitorError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public static MonitorException invalid(String format, Object... args) {
        return new MonitorException(MonitorError.INVALID, String.format(format, args));
    }

    public MonitorError error() {
        return error;
    }
}
