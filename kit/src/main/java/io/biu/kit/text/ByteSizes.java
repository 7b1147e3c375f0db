package io.biu.kit.text;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte counts as people write them: {@code 256MiB}, {@code 1.5GiB}, {@code 512m} or a plain number of bytes. Units are
 * binary whatever their spelling (Docker's convention: 1m = 1 MiB). The text is bounded before it is parsed, so a
 * request cannot make a parse expensive.
 */
public final class ByteSizes {

    public static final long KIB = 1024;
    public static final long MIB = 1024 * KIB;
    public static final long GIB = 1024 * MIB;
    public static final long TIB = 1024 * GIB;
    /** Longer text is refused unread: no size anyone means needs more. */
    public static final int MAX_LENGTH = 32;
    /** Larger sizes are refused as absurd (and stay clear of overflow in sums). */
    public static final long MAX_BYTES = Long.MAX_VALUE / 2;

    private static final Pattern SIZE = Pattern.compile("\\s*(\\d{1,19}(?:\\.\\d{1,9})?)\\s*([a-zA-Z]{0,3})\\s*");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("k", KIB), Map.entry("kb", KIB), Map.entry("kib", KIB),
            Map.entry("m", MIB), Map.entry("mb", MIB), Map.entry("mib", MIB),
            Map.entry("g", GIB), Map.entry("gb", GIB), Map.entry("gib", GIB),
            Map.entry("t", TIB), Map.entry("tb", TIB), Map.entry("tib", TIB));

    private ByteSizes() {
    }

    /**
     * The bytes {@code text} stands for, rounded down; an {@link IllegalArgumentException} whose message quotes the
     * text (briefly) and says how to write a size.
     */
    public static long parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no size given: write e.g. 256MiB, 1.5GiB or a number of bytes");
        }
        Matcher m = text.length() > MAX_LENGTH ? null : SIZE.matcher(text);
        Long unit = m != null && m.matches() ? UNITS.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
        if (unit == null) {
            throw new IllegalArgumentException("'" + Brief.of(text)
                    + "' is not a size: write e.g. 256MiB, 1.5GiB or a number of bytes");
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (bytes.compareTo(BigDecimal.valueOf(MAX_BYTES)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is absurdly large");
        }
        return bytes.setScale(0, RoundingMode.DOWN).longValueExact();
    }

    /** {@code 1.5 GiB}, {@code 256 MiB} or {@code 512 bytes}. */
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
