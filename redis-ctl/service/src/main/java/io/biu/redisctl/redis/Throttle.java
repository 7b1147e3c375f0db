package io.biu.redisctl.redis;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * A cap on keys per second shared by the moves of one task; unlimited at 0. A task that fell behind its rate
 * (slow moves, a pause) may catch up by at most one second's worth of keys: it does not burst without end.
 */
public final class Throttle {

    private static final long SECOND = 1_000_000_000L;

    private final long perSecond;
    private final LongSupplier nanoTime;
    private final LongConsumer sleepNanos;
    /** When the keys {@link #taken} since were due to start, by the rate. */
    private long since;
    private long taken;

    public Throttle(long perSecond) {
        this(perSecond, System::nanoTime, Throttle::sleep);
    }

    Throttle(long perSecond, LongSupplier nanoTime, LongConsumer sleepNanos) {
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
        this.sleepNanos = sleepNanos;
        this.since = nanoTime.getAsLong();
    }

    /** Accounts for {@code keys} moved, sleeping as long as the task is ahead of its rate. */
    public void acquire(long keys) {
        if (perSecond <= 0) {
            return;
        }
        long aheadNanos;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (now - since - taken * SECOND / perSecond > SECOND) {
                // more than a second behind: keep one second of credit, forget the rest
                since = now - SECOND;
                taken = 0;
            }
            taken += keys;
            aheadNanos = since + taken * SECOND / perSecond - now;
        }
        if (aheadNanos > 0) {
            sleepNanos.accept(aheadNanos);
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
