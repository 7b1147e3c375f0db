package io.biu.cli.render;

import java.time.Duration;
import java.util.Locale;

/** Numbers as people read them: durations, sizes, counts with their noun. */
public final class Format {

    private static final long KIB = 1024;
    private static final long MIB = KIB * 1024;
    private static final long GIB = MIB * 1024;

    private Format() {
    }

    /** {@code 0.8 s}, {@code 7.4 s}, {@code 2 min 5 s}, {@code 1 h 3 min}. */
    public static String duration(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
    }

    /** Seconds left, roughly: {@code 12 s}, {@code 3 min 20 s}. */
    public static String seconds(long seconds) {
        return seconds < 60 ? seconds + " s" : duration(Duration.ofSeconds(seconds));
    }

    /** Binary units, as the services read sizes: {@code 64MiB}, {@code 1.5GiB}, {@code 512B}. */
    public static String bytes(long bytes) {
        if (bytes >= GIB) {
            return trim(bytes / (double) GIB) + "GiB";
        }
        if (bytes >= MIB) {
            return trim(bytes / (double) MIB) + "MiB";
        }
        if (bytes >= KIB) {
            return trim(bytes / (double) KIB) + "KiB";
        }
        return bytes + "B";
    }

    /** {@code 1 master}, {@code 3 masters}. */
    public static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String trim(double value) {
        String text = String.format(Locale.ROOT, "%.1f", value);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }
}
