package io.biu.redisctl.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which master a replica follows: a replica that joins, and a replica of a drained master that the masters left need;
 * and which of a drained master's replicas they need at all.
 *
 * <p>A replica never follows a master on its own node (losing the node would take both), and goes to the master with
 * the fewest replicas, so that each shard keeps a copy of its data elsewhere before any has two.
 */
public final class Replicas {

    private Replicas() {
    }

    /** Where a replica goes. */
    public sealed interface Home {

        /** It already follows {@code master} and stays: no REPLICATE, no full resynchronisation. */
        record Keeps(Member master) implements Home {
            public Keeps {
                requireMaster(master);
            }
        }

        /** It is to follow {@code master} (CLUSTER REPLICATE). */
        record Follows(Member master) implements Home {
            public Follows {
                requireMaster(master);
            }
        }

        /** No master it may follow can take it: none is active and live on another node than {@code node}. */
        record Nowhere(String node) implements Home {
            public Nowhere {
                Objects.requireNonNull(node, "node");
            }
        }
    }

    /**
     * The master a replica on {@code avoidNode} should follow: an active member booked as a master, with a known Redis
     * id, that the view shows as a live master, not on {@code avoidNode} and not one of {@code excluded}; of those, the
     * one with the fewest replicas as {@code followers} counts them (replicas by master's Redis id), then the lowest
     * shard. Empty if there is none.
     */
    public static Optional<Member> leastFollowed(List<Member> members, Topology view, String avoidNode,
            Set<Long> excluded, Map<String, Integer> followers) {
        return members.stream()
                .filter(m -> m.master() && m.active() && m.redisId() != null)
                .filter(m -> !excluded.contains(m.id()) && !m.node().equals(avoidNode))
                .filter(m -> view.node(m.redisId()) != null && view.node(m.redisId()).liveMaster())
                .min(Comparator.comparingInt((Member m) -> followers.getOrDefault(m.redisId(), 0))
                        .thenComparing(Member::shard));
    }

    /**
     * Where a joining replica goes: if the view shows it following a member already (an earlier run attached it), it
     * keeps that master; otherwise it follows the master with the fewest replicas, as the view counts them, on another
     * node.
     */
    public static Home ofJoining(Member replica, List<Member> members, Topology view) {
        Topology.Node current = view.node(replica.redisId());
        if (current != null && !current.master()) {
            Optional<Member> master = Member.byRedisId(members, current.masterId());
            if (master.isPresent()) {
                return new Home.Keeps(master.get());
            }
        }
        return leastFollowed(members, view, replica.node(), Set.of(), view.followers())
                .<Home>map(Home.Follows::new).orElseGet(() -> new Home.Nowhere(replica.node()));
    }

    /**
     * What draining a master does with its replicas.
     *
     * @param keep      replicas to re-home, in order
     * @param retire    replicas no master left needs: they go with the drained master
     * @param followers replicas each master left has (by Redis id), not counting {@code keep}
     * @param needed    replicas the masters left need: their number times the cluster's replicas per master
     * @param have      active replicas that follow them already
     */
    public record Drained(List<Member> keep, List<Member> retire, Map<String, Integer> followers, int needed,
            int have) {
        public Drained {
            keep = List.copyOf(keep);
            retire = List.copyOf(retire);
            followers = Map.copyOf(followers);
            if (needed < 0 || have < 0) {
                throw new IllegalArgumentException("negative replica counts: needed " + needed + ", have " + have);
            }
        }
    }

    /**
     * Splits the drained master's active replicas into those the other masters need and the surplus: with
     * {@code needed} = the other masters times {@code replicasPerMaster} and {@code have} = the active replicas that
     * follow one of them, each of the drained master's replicas is kept while {@code have < needed} (and counted), in
     * the order of {@code members}; the rest are retired.
     *
     * <p>A replica is the drained master's if it follows it, or if it is still booked in the drained master's shard:
     * Redis itself moves the replicas of a master that lost its last slot to the master that took it
     * (cluster-allow-replica-migration), often before the drain gets to them. Only active members the view knows count:
     * replicas retired by an earlier run are no longer active, and one re-homed by it is booked in its new shard and
     * counted in {@code have}, so a run after a crash keeps the decisions of the last.
     */
    public static Drained ofDrained(Member drained, List<Member> members, Topology view, int replicasPerMaster) {
        int masters = 0;
        Map<String, Integer> followers = new HashMap<>();
        List<Member> orphans = new ArrayList<>();
        for (Member m : members) {
            Topology.Node n = m.redisId() == null ? null : view.node(m.redisId());
            if (m.id() == drained.id() || !m.active() || n == null) {
                continue;
            }
            if (n.master()) {
                masters++;
            } else if (n.masterId().equals(drained.redisId()) || (!m.master() && m.shard() == drained.shard())) {
                orphans.add(m);
            } else {
                followers.merge(n.masterId(), 1, Integer::sum);
            }
        }
        int needed = masters * replicasPerMaster;
        int have = followers.values().stream().mapToInt(Integer::intValue).sum();
        List<Member> keep = new ArrayList<>();
        List<Member> retire = new ArrayList<>();
        int kept = have;
        for (Member orphan : orphans) {
            if (kept < needed) {
                keep.add(orphan);
                kept++;
            } else {
                retire.add(orphan);
            }
        }
        return new Drained(keep, retire, followers, needed, have);
    }

    /**
     * Where a kept replica of a drained master goes: to the staying master with the fewest replicas on another node,
     * unless the master it follows now ({@code currentId}, in its own word: Redis moves the replicas of a master that
     * lost its last slot) is on another node and has no more replicas than that one; it also stays there when no other
     * can take it. Staying spares it a full resynchronisation.
     *
     * @param followers replicas each staying master has now, by Redis id
     */
    public static Home ofKept(Member replica, Member drained, String currentId, List<Member> members, Topology view,
            Map<String, Integer> followers) {
        Member current = Member.byRedisId(members, currentId).orElse(null);
        Topology.Node n = current == null ? null : view.node(current.redisId());
        boolean stays = current != null && current.id() != drained.id() && current.active() && n != null
                && n.liveMaster();
        Optional<Member> least = leastFollowed(members, view, replica.node(), Set.of(drained.id()), followers);
        if (least.isEmpty()) {
            return stays ? new Home.Keeps(current) : new Home.Nowhere(replica.node());
        }
        boolean asGood = stays && !current.node().equals(replica.node())
                && followers.getOrDefault(current.redisId(), 0) <= followers.getOrDefault(least.get().redisId(), 0);
        return asGood ? new Home.Keeps(current) : new Home.Follows(least.get());
    }

    private static void requireMaster(Member master) {
        Objects.requireNonNull(master, "master");
        if (master.redisId() == null) {
            throw new IllegalArgumentException("instance " + master.id() + " cannot be followed before its id is known");
        }
    }
}
