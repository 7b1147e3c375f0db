package io.biu.redismonitor.api;

import io.biu.kit.error.ServiceException;

/** redis-monitor's one exception type: a refusal or failure with its code and a message that says what to do. */
public class MonitorException extends ServiceException {

    public MonitorException(MonitorError error, String message) {
        super(error, message);
    }

    public MonitorException(MonitorError error, String message, Throwable cause) {
        super(error, message, cause);
    }

    public static MonitorException invalid(String format, Object... args) {
        return new MonitorException(MonitorError.INVALID, format(format, args));
    }

    public MonitorError error() {
        return (MonitorError) code();
    }
}
