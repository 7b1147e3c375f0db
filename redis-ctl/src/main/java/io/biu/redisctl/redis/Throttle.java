package io.biu.redisctl.redis;

/** A cap on keys per second shared by the moves of one task; unlimited at 0. */
public final class Throttle {

    private final long perSecond;
    private final long started = System.nanoTime();
    private long taken;

    public Throttle(long perSecond) {
        this.perSecond = perSecond;
    }

    /** Accounts for {@code keys} moved, sleeping as long as the task is ahead of its rate. */
    public void acquire(long keys) {
        if (perSecond <= 0) {
            return;
        }
        long aheadNanos;
        synchronized (this) {
            taken += keys;
            aheadNanos = taken * 1_000_000_000L / perSecond - (System.nanoTime() - started);
        }
        if (aheadNanos > 0) {
            try {
                Thread.sleep(aheadNanos / 1_000_000, (int) (aheadNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
