package io.biu.redismonitor.policy;

/**
 * The figures behind a decision, from the latest round, for the API, the logs and the audit trail.
 *
 * @param meanRatio sum of used memory over sum of maxmemory
 * @param maxRatio the fullest master's used memory / maxmemory
 * @param usedBytes total used memory of the masters
 * @param maxBytes total maxmemory of the masters
 * @param opsPerSecond total ops/s of the masters
 * @param cpu mean CPU of a master, in cores
 * @param growthBytesPerSecond growth of total used memory; 0 when there is too little data to fit it
 * @param secondsToThreshold when growing and below {@code scaleOutMean}: how long until the mean reaches it; else
 *     null
 * @param heldForSeconds how long the condition behind the decision has held (0 if none)
 * @param masters masters now
 * @param mastersWanted masters the decision aims at, before the limits of the policy and the pod
 */
public record Numbers(double meanRatio, double maxRatio, long usedBytes, long maxBytes, double opsPerSecond,
        double cpu, double growthBytesPerSecond, Double secondsToThreshold, long heldForSeconds, int masters,
        int mastersWanted) {

    public Numbers {
        if (masters < 0 || mastersWanted < 0 || heldForSeconds < 0 || usedBytes < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("counts, sizes and durations cannot be negative: " + masters + ", "
                    + mastersWanted + ", " + usedBytes + ", " + maxBytes + ", " + heldForSeconds);
        }
        for (double figure : new double[] {meanRatio, maxRatio, opsPerSecond, cpu, growthBytesPerSecond}) {
            if (!Double.isFinite(figure)) {
                throw new IllegalArgumentException("figures must be finite numbers, not " + figure);
            }
        }
    }

    /** No data: only the masters are known. */
    public static Numbers unknown(int masters, int mastersWanted) {
        return new Numbers(0, 0, 0, 0, 0, 0, 0, null, 0, masters, mastersWanted);
    }
}
