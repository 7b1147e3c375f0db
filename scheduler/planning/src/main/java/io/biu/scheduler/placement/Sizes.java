package io.biu.scheduler.placement;

import io.biu.kit.text.ByteSizes;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;

/** Byte counts as people read them: 256 MiB, 1.5 GiB ({@link ByteSizes}), with the scheduler's error. */
public final class Sizes {

    public static final long MIB = ByteSizes.MIB;
    public static final long GIB = ByteSizes.GIB;

    private Sizes() {
    }

    /**
     * A size such as {@code 256MiB}, {@code 1.5GiB}, {@code 512m} or a plain number of bytes. Units are
     * binary whatever their spelling (Docker's convention: 1m = 1 MiB).
     */
    public static long parse(String text) {
        try {
            return ByteSizes.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SchedulerException(SchedulerError.INVALID_MEMORY, e.getMessage());
        }
    }

    public static String format(long bytes) {
        return ByteSizes.format(bytes);
    }
}
