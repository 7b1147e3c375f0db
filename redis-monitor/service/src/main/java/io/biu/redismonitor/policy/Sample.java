package io.biu.redismonitor.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * One master's INFO figures at one collection round.
 *
 * <p>Only masters are sampled: data lives once, on its master, and replicas copy it. Every sample of a round carries
 * the round's instant, which is how a {@link Window} lines masters up into cluster {@link Round}s.
 *
 * @param master the master's cluster node id
 * @param at the instant of the collection round that read it
 * @param usedMemory {@code used_memory}, in bytes; may exceed {@code maxmemory} for a while
 * @param maxmemory {@code maxmemory}, in bytes; must be set, the policy scales on used / maxmemory
 * @param opsPerSecond {@code instantaneous_ops_per_sec}
 * @param cpu CPU used since the previous round, in cores (0.5 is half a core)
 */
public record Sample(String master, Instant at, long usedMemory, long maxmemory, double opsPerSecond, double cpu) {

    public Sample {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("a sample needs the node id of its master");
        }
        Objects.requireNonNull(at, "at");
        if (usedMemory < 0) {
            throw new IllegalArgumentException("usedMemory of master " + master + " cannot be negative: " + usedMemory);
        }
        if (maxmemory <= 0) {
            throw new IllegalArgumentException("maxmemory of master " + master + " is " + maxmemory
                    + ": set maxmemory on every master, the policy scales on used memory / maxmemory");
        }
        if (!(opsPerSecond >= 0) || Double.isInfinite(opsPerSecond)) {
            throw new IllegalArgumentException("opsPerSecond of master " + master
                    + " must be a finite number >= 0, not " + opsPerSecond);
        }
        if (!(cpu >= 0) || Double.isInfinite(cpu)) {
            throw new IllegalArgumentException("cpu of master " + master
                    + " must be a finite number of cores >= 0, not " + cpu);
        }
    }

    /** Used memory over maxmemory. */
    public double ratio() {
        return (double) usedMemory / maxmemory;
    }
}
