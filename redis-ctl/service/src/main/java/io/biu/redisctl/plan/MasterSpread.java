package io.biu.redisctl.plan;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a cluster's masters should not pile up. A failover promotes a replica wherever it happens to run, so after a
 * few a node can hold several masters; losing that node then takes them all at once, and with them the majority that
 * Redis needs to elect replacements. This picks a replica to promote (by a graceful manual failover, which loses
 * nothing) so that masters spread over the nodes again, one move at a time.
 */
public final class MasterSpread {

    private MasterSpread() {
    }

    /**
     * Promote {@code replica} in place of its shard's {@code master}: its node goes from {@code mastersOnFrom} masters
     * to one fewer, the replica's from {@code mastersOnTo} to one more.
     */
    public record Promotion(Member replica, Member master, int mastersOnFrom, int mastersOnTo) {
        public Promotion {
            Objects.requireNonNull(replica, "replica");
            Objects.requireNonNull(master, "master");
            if (replica.master() || !master.master() || replica.shard() != master.shard()) {
                throw new IllegalArgumentException("instance " + replica.id() + " is no replica of shard "
                        + master.shard() + "'s master " + master.id());
            }
            if (mastersOnTo > mastersOnFrom - 2) {
                throw new IllegalArgumentException("a move from a node with " + mastersOnFrom + " masters to one with "
                        + mastersOnTo + " only swaps the pile");
            }
        }
    }

    /**
     * The promotion that moves a master from the node with the most masters to a node with at least two fewer (so
     * that the move helps), preferring the node with the fewest; empty when no move helps. Ties go to the lowest
     * shard, then to the replica with the lowest id.
     *
     * @param members the cluster's instances, with their roles as the cluster has them now; only active ones count
     */
    public static Optional<Promotion> next(List<Member> members) {
        List<Member> active = members.stream().filter(Member::active).toList();
        Map<String, Integer> masters = new HashMap<>();
        for (Member m : active) {
            masters.merge(m.node(), m.master() ? 1 : 0, Integer::sum);
        }
        List<Member> fullestFirst = active.stream().filter(Member::master)
                .sorted(Comparator.comparing((Member m) -> -masters.get(m.node())).thenComparing(Member::shard))
                .toList();
        for (Member master : fullestFirst) {
            int from = masters.get(master.node());
            Optional<Member> replica = active.stream()
                    .filter(r -> !r.master() && r.shard() == master.shard() && masters.get(r.node()) <= from - 2)
                    .min(Comparator.comparing((Member r) -> masters.get(r.node())).thenComparing(Member::id));
            if (replica.isPresent()) {
                return Optional.of(new Promotion(replica.get(), master, from, masters.get(replica.get().node())));
            }
        }
        return Optional.empty();
    }
}
