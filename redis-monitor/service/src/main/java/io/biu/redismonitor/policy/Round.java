package io.biu.redismonitor.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * The cluster at one collection round: totals over the masters present at that instant (see {@link Window} for which
 * masters are).
 *
 * @param masters how many masters the totals cover
 * @param usedMemory sum of the masters' used memory, bytes
 * @param maxmemory sum of the masters' maxmemory, bytes
 * @param maxRatio the fullest master's used memory / maxmemory
 * @param opsPerSecond sum of the masters' ops/s
 * @param cpu sum of the masters' CPU, in cores
 */
public record Round(Instant at, int masters, long usedMemory, long maxmemory, double maxRatio, double opsPerSecond,
        double cpu) {

    public Round {
        Objects.requireNonNull(at, "at");
        if (masters < 1) {
            throw new IllegalArgumentException("a round covers at least one master, not " + masters);
        }
        if (usedMemory < 0 || maxmemory <= 0) {
            throw new IllegalArgumentException("a round needs used memory >= 0 and maxmemory > 0, not " + usedMemory
                    + " and " + maxmemory);
        }
    }

    /** Sum of used memory over sum of maxmemory: the fill of the cluster as a whole. */
    public double meanRatio() {
        return (double) usedMemory / maxmemory;
    }

    public double opsPerMaster() {
        return opsPerSecond / masters;
    }

    /** Mean CPU of a master, in cores. */
    public double meanCpu() {
        return cpu / masters;
    }

    /** The mean maxmemory of a master: what a new master is assumed to get. */
    public double maxmemoryPerMaster() {
        return (double) maxmemory / masters;
    }
}
