package io.biu.redisctl.backup;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A cluster's backup schedule: one backup every {@code everySeconds}, the newest {@code keep} complete ones kept. */
@MappedEntity("backup_schedule")
public record Schedule(@Id long clusterId, long everySeconds, int keep, Instant nextAt) {

    private static final Pattern EVERY = Pattern.compile("(\\d{1,6})([mhd])");
    /** Backups more often than this would be a load on the masters rather than a safety net. */
    static final Duration SHORTEST = Duration.ofMinutes(5);

    /** {@code 30m}, {@code 6h}, {@code 1d} as a duration; null if it is not one. */
    static Duration parse(String every) {
        Matcher m = every == null ? null : EVERY.matcher(every.trim().toLowerCase(Locale.ROOT));
        if (m == null || !m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** The interval as written back: the largest whole unit. */
    String every() {
        if (everySeconds % 86_400 == 0) {
            return everySeconds / 86_400 + "d";
        }
        return everySeconds % 3600 == 0 ? everySeconds / 3600 + "h" : everySeconds / 60 + "m";
    }

    Schedule next(Instant now) {
        return new Schedule(clusterId, everySeconds, keep, now.plusSeconds(everySeconds));
    }
}
