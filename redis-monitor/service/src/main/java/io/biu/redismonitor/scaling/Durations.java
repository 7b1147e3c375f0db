package io.biu.redismonitor.scaling;

import io.biu.redismonitor.api.MonitorException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the API writes them: {@code 500ms}, {@code 90s}, {@code 30m}, {@code 2h}, or ISO-8601 ({@code PT30M}). */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {
    }

    /** Longer text is refused unread: no duration anyone means needs more. */
    static final int MAX_LENGTH = 32;

    /** The duration, in whole milliseconds; anything else is refused with what to write. */
    public static Duration parse(String field, String text) {
        if (text.length() > MAX_LENGTH) {
            throw notADuration(field, text);
        }
        Matcher m = SHORT.matcher(text.trim());
        Duration d;
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
                d.toMillis();
            } else {
                d = Duration.parse(text.trim());
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw notADuration(field, text);
        }
        if (d.getNano() % 1_000_000 != 0) {
            throw MonitorException.invalid("%s '%s' is finer than a millisecond: write e.g. 500ms", field, text);
        }
        return d;
    }

    private static MonitorException notADuration(String field, String text) {
        return MonitorException.invalid("%s '%s' is not a duration: write e.g. 90s, 30m, 2h or PT30M", field, text);
    }

    /** The shortest exact form: {@code 2h}, {@code 30m}, {@code 90s} or {@code 1500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
