package io.biu.scheduler.cpu;

import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import java.math.BigDecimal;

/**
 * How finely a pod divides a core: into 10, 100 or 1000 pieces, i.e. CPU requests in steps of 0.1,
 * 0.01 or 0.001 cores. All CPU arithmetic is in whole pieces, never floating point.
 */
public enum ShareBase {
    TENTHS(10),
    HUNDREDTHS(100),
    THOUSANDTHS(1000);

    private final int pieces;

    ShareBase(int pieces) {
        this.pieces = pieces;
    }

    /** Pieces per core. */
    public int pieces() {
        return pieces;
    }

    /** The smallest request: one piece, as a number of cores (0.1, 0.01 or 0.001). */
    public BigDecimal granularity() {
        return BigDecimal.ONE.divide(BigDecimal.valueOf(pieces));
    }

    public static ShareBase of(int pieces) {
        for (ShareBase base : values()) {
            if (base.pieces == pieces) {
                return base;
            }
        }
        throw SchedulerException.invalid(SchedulerError.INVALID_SHARE_BASE,
                "share base %d is not supported: use 10, 100 or 1000 pieces per core", pieces);
    }
}
