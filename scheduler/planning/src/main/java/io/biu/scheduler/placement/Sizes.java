package io.biu.scheduler.placement;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Byte counts as people read them: 256 MiB, 1.5 GiB. */
public final class Sizes {

    public static final long MIB = 1024L * 1024;
    public static final long GIB = 1024 * MIB;

    private Sizes() {
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
