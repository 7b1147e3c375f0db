package io.biu.scheduler.placement;

import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte counts as people read them: 256 MiB, 1.5 GiB. */
public final class Sizes {

    public static final long MIB = 1024L * 1024;
    public static final long GIB = 1024 * MIB;

    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)\\s*");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("k", 1024L), Map.entry("kb", 1024L), Map.entry("kib", 1024L),
            Map.entry("m", MIB), Map.entry("mb", MIB), Map.entry("mib", MIB),
            Map.entry("g", GIB), Map.entry("gb", GIB), Map.entry("gib", GIB),
            Map.entry("t", 1024 * GIB), Map.entry("tb", 1024 * GIB), Map.entry("tib", 1024 * GIB));

    private Sizes() {
    }

    /**
     * A size such as {@code 256MiB}, {@code 1.5GiB}, {@code 512m} or a plain number of bytes. Units are
     * binary whatever their spelling (Docker's convention: 1m = 1 MiB).
     */
    public static long parse(String text) {
        Matcher m = text == null ? null : SIZE.matcher(text);
        if (m == null || !m.matches() || !UNITS.containsKey(m.group(2).toLowerCase(Locale.ROOT))) {
            throw SchedulerException.invalid(SchedulerError.INVALID_MEMORY,
                    "'%s' is not a size: write e.g. 256MiB, 1.5GiB or a number of bytes", text);
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(UNITS.get(m.group(2)
                .toLowerCase(Locale.ROOT))));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
            throw SchedulerException.invalid(SchedulerError.INVALID_MEMORY, "'%s' is absurdly large", text);
        }
        return bytes.setScale(0, RoundingMode.DOWN).longValueExact();
    }

    public static String format(long bytes) {
        if (bytes >= GIB) {
            return scaled(bytes, GIB) + " GiB";
        }
        if (bytes >= MIB) {
            return scaled(bytes, MIB) + " MiB";
        }
        return bytes + " bytes";
    }

    private static String scaled(long bytes, long unit) {
        return BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(unit), 2, RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }
}
