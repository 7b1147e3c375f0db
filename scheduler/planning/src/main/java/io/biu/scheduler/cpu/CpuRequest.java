package io.biu.scheduler.cpu;

import io.biu.kit.text.Brief;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A container's CPU request in whole pieces of a share base: {@link #full()} exclusive cores plus a
 * {@link #fragment()} of pieces on one core shared with others.
 */
public record CpuRequest(ShareBase base, int pieces) {

    /** Requests above this are refused as absurd rather than searched for. */
    public static final int MAX_CORES = 1024;
    /** Requests with more decimals are refused before any arithmetic. */
    public static final int MAX_DECIMALS = 6;

    public CpuRequest {
        Objects.requireNonNull(base, "base");
        if (pieces <= 0) {
            throw SchedulerException.invalid(SchedulerError.INVALID_CPU, "cpu must be greater than 0");
        }
        if (pieces > MAX_CORES * base.pieces()) {
            throw SchedulerException.invalid(SchedulerError.INVALID_CPU,
                    "cpu %s is more than any node has: at most %d cores", cores(base, pieces), MAX_CORES);
        }
    }

    /**
     * A request of {@code cores} (e.g. 0.5) on a pod with the given share base; refused when it is not a
     * whole number of pieces (0.15 on a 0.1-granular pod) or not positive.
     */
    public static CpuRequest of(BigDecimal cores, ShareBase base) {
        Objects.requireNonNull(base, "base");
        if (cores == null || cores.signum() <= 0) {
            throw SchedulerException.invalid(SchedulerError.INVALID_CPU, "cpu must be greater than 0, not %s", cores);
        }
        // quoted as written (toString, briefly): the plain form of 1E+999999999 would be a billion digits long
        String quoted = Brief.of(cores.toString());
        if (cores.compareTo(BigDecimal.valueOf(MAX_CORES)) > 0) {
            throw SchedulerException.invalid(SchedulerError.INVALID_CPU,
                    "cpu %s is more than any node has: at most %d cores", quoted, MAX_CORES);
        }
        if (cores.scale() > MAX_DECIMALS) {
            throw SchedulerException.invalid(SchedulerError.INVALID_CPU,
                    "cpu %s has more than %d decimals: no pod is that fine-grained", quoted, MAX_DECIMALS);
        }
        BigDecimal pieces = cores.multiply(BigDecimal.valueOf(base.pieces()));
        if (pieces.stripTrailingZeros().scale() > 0) {
            throw SchedulerException.invalid(SchedulerError.INVALID_CPU,
                    "cpu %s is finer than the pod's granularity of %s cores", quoted,
                    base.granularity().toPlainString());
        }
        return new CpuRequest(base, pieces.intValueExact());
    }

    /** Whole cores the container gets to itself. */
    public int full() {
        return pieces / base.pieces();
    }

    /** Pieces on a shared core, 0 when the request is a whole number of cores. */
    public int fragment() {
        return pieces % base.pieces();
    }

    /** The request in cores, e.g. 1.5. */
    public BigDecimal cores() {
        return cores(base, pieces);
    }

    private static BigDecimal cores(ShareBase base, int pieces) {
        return BigDecimal.valueOf(pieces).divide(BigDecimal.valueOf(base.pieces())).stripTrailingZeros();
    }

    @Override
    public String toString() {
        return cores().toPlainString() + " cores";
    }
}
