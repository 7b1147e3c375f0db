package io.biu.redismonitor.policy;

/**
 * How many masters a scale-out aims at, and whether a cluster can lose one: the same targets both ways, so that a
 * scale-in never lands where a scale-out would start.
 *
 * <p>The targets: the mean ratio at most {@link Policy#targetMean()}, with the used memory forecast over the horizon;
 * ops/s per master and mean CPU at most their thresholds times {@link Policy#headroom()}. A new master is assumed to
 * get the mean maxmemory of the current ones, and ops and CPU to spread evenly once slots are rebalanced.
 */
final class Sizing {

    /**
     * A target missed by a millionth (a kilobyte per GiB) counts as met: figures come from whole bytes and doubles,
     * and four masters at 90% must want six at 60%, not seven.
     */
    private static final double TOLERANCE = 1e-6;

    private Sizing() {
    }

    /**
     * The fewest masters meeting every target, and at least one more than now. Not limited by the policy's maximum or
     * the pod's capacity: those are applied to the decision, and this stays in its numbers.
     */
    static int mastersWanted(Reading reading, Policy policy) {
        Round round = reading.latest();
        double wanted = reading.forecastUsed(policy) / (policy.targetMean() * round.maxmemoryPerMaster());
        if (policy.opsPerMaster() != null) {
            wanted = Math.max(wanted, round.opsPerSecond() / (policy.opsPerMaster() * policy.headroom()));
        }
        if (policy.cpu() != null) {
            wanted = Math.max(wanted, round.cpu() / (policy.cpu() * policy.headroom()));
        }
        long masters = (long) Math.ceil(wanted / (1 + TOLERANCE));
        return (int) Math.min(Policy.MAX_MASTERS, Math.max(round.masters() + 1L, masters));
    }

    /** Whether, with one master fewer, the cluster stays strictly under every target. */
    static boolean removalKeepsTargets(Reading reading, Policy policy) {
        Round round = reading.latest();
        int left = round.masters() - 1;
        if (left < 1) {
            return false;
        }
        double maxLeft = round.maxmemory() - round.maxmemoryPerMaster();
        return reading.forecastUsed(policy) / maxLeft < policy.targetMean()
                && (policy.opsPerMaster() == null
                        || round.opsPerSecond() / left < policy.opsPerMaster() * policy.headroom())
                && (policy.cpu() == null || round.cpu() / left < policy.cpu() * policy.headroom());
    }
}
