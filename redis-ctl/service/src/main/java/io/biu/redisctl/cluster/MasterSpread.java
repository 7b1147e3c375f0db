package io.biu.redisctl.cluster;


import io.biu.redisctl.client.Role;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a cluster's masters should not pile up. A failover promotes a replica wherever it happens to run, so
 * after a few a node can hold several masters; losing that node then takes them all at once, and with them the
 * majority that Redis needs to elect replacements. This picks a replica to promote (by a graceful manual
 * failover, which loses nothing) so that masters spread over the nodes again, one move at a time.
 */
final class MasterSpread {

    private MasterSpread() {
    }

    /**
     * A replica whose promotion moves a master from the node with the most masters to a node with at least two
     * fewer (so that the move helps), preferring the node with the fewest; empty when no move helps.
     *
     * @param members the cluster's active instances, with their roles as the cluster has them now
     */
    static Optional<Instance> nextPromotion(List<Instance> members) {
        Map<String, Integer> masters = new HashMap<>();
        for (Instance i : members) {
            masters.merge(i.node(), i.role() == Role.MASTER ? 1 : 0, Integer::sum);
        }
        return members.stream()
                .filter(m -> m.role() == Role.MASTER)
                .sorted(Comparator.comparing((Instance m) -> -masters.get(m.node())).thenComparing(Instance::shard))
                .flatMap(m -> members.stream()
                        .filter(r -> r.role() == Role.REPLICA && r.shard() == m.shard()
                                && masters.get(r.node()) <= masters.get(m.node()) - 2)
                        .sorted(Comparator.comparing((Instance r) -> masters.get(r.node())).thenComparing(Instance::id)))
                .findFirst();
    }
}
