package io.biu.scheduler.api;

import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.micronaut.core.annotation.Nullable;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Checks shared by every request body: names, enums and required fields, each with a clear message. */
public final class Requests {

    /** Names of pods, nodes and apps: they end up in Docker names and labels. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    private Requests() {
    }

    public static String name(@Nullable String value, String what) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new SchedulerException(SchedulerError.INVALID_NAME, what + " name '" + value + "' is not valid: use "
                    + "1 to 63 lower-case letters, digits and '-', starting with a letter");
        }
        return value;
    }

    public static <T> T required(@Nullable T value, String field) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new SchedulerException(SchedulerError.INVALID_REQUEST, "'" + field + "' is required");
        }
        return value;
    }

    /** An enum constant by name, case-insensitively, or the default when absent. */
    public static <E extends Enum<E>> E oneOf(Class<E> type, @Nullable String value, E defaultValue, String field) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        String wanted = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        throw new SchedulerException(SchedulerError.INVALID_REQUEST, "'" + field + "' must be one of "
                + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")) + ", not '" + value + "'");
    }
}
