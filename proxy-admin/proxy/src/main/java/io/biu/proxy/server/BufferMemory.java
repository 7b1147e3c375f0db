package io.biu.proxy.server;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;

/** How much of the direct memory that holds the proxy's buffers is in use. */
final class BufferMemory {

    /** Above this share of the limit, clients that do not read their replies are disconnected. */
    private static final double SHORT = 0.75;

    private BufferMemory() {
    }

    /** Whether buffers use more than three quarters of the direct memory the JVM allows. */
    static boolean runningShort() {
        long max = max();
        return max > 0 && used() > max * SHORT;
    }

    /** Bytes of direct memory in use for buffers. */
    static long used() {
        long used = PlatformDependent.usedDirectMemory();
        return used >= 0 ? used : PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory(); // the pool's own count
    }

    /**
     * The largest command a client may send: {@code configured}, but at most a quarter of the direct memory, so
     * that a few clients sending the largest commands at once cannot exhaust the buffers everyone shares.
     */
    static long requestLimit(long configured) {
        long max = max();
        return max > 0 ? Math.min(configured, max / 4) : configured;
    }

    /** Bytes of direct memory the JVM allows. */
    static long max() {
        return PlatformDependent.maxDirectMemory();
    }
}
