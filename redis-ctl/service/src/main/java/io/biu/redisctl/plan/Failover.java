package io.biu.redisctl.plan;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the failover of a failed master stands, and what healing does about it.
 *
 * <p>Redis fails a dead master over to one of its replicas by itself, once a majority of the masters that hold slots
 * agree it failed and vote for the replica. Healing waits for that. Two things stop it from ever happening: so many
 * masters fail at once (a lost node held several) that the rest are no majority ({@link NoMajority}: no election can
 * succeed, and the cluster cannot even agree that they failed), or the election just does not come in time
 * ({@link NoElection}). Either way a surviving replica of the failed master takes over without an election (CLUSTER
 * FAILOVER TAKEOVER), which also gives the other shards back the majority for their own elections. If no replica
 * can, the shard has lost every member: its replacement will serve its slots again, empty (see {@link Replacement}).
 */
public sealed interface Failover {

    /** The failed master holds no slot any more: a replica took its place (or it held none, or none knows it). */
    record Done() implements Failover {
    }

    /** An election may still replace it: {@code failing} of the {@code masters} that hold slots are failing. */
    record Waiting(int failing, int masters) implements Failover {
        public Waiting {
            checkCounts(failing, masters);
        }
    }

    /**
     * No election can replace it: {@code failing} of the {@code masters} that hold slots fail, it among them, and the
     * rest are no majority. A replica takes over without one.
     */
    record NoMajority(int failing, int masters) implements Failover {
        public NoMajority {
            checkCounts(failing, masters);
            if (failing * 2 < masters) {
                throw new IllegalArgumentException(masters - failing + " of " + masters + " masters are a majority");
            }
        }
    }

    /** No election replaced it within {@code waited}: a replica takes over without one. */
    record NoElection(Duration waited) implements Failover {
        public NoElection {
            Objects.requireNonNull(waited, "waited");
        }
    }

    /** Whether a replica is to take over without an election. */
    default boolean takeOver() {
        return this instanceof NoMajority || this instanceof NoElection;
    }

    /**
     * The failover of the master whose Redis id is {@code failed} as a survivor's {@code view} shows it: done once it
     * holds no slot; no majority once it fails and at least half the masters that hold slots fail; waiting otherwise.
     * (Its container is known to have died or been lost, so a master that does not answer is no hiccup here.)
     */
    static Failover of(Topology view, String failed) {
        Topology.Node node = view.node(failed);
        if (node == null || node.slots().isEmpty()) {
            return new Done();
        }
        List<Topology.Node> masters = view.nodes().stream().filter(n -> n.master() && !n.slots().isEmpty()).toList();
        int failing = (int) masters.stream().filter(Topology.Node::failing).count();
        return node.failing() && failing * 2 >= masters.size() ? new NoMajority(failing, masters.size())
                : new Waiting(failing, masters.size());
    }

    /**
     * Who may take over from {@code failed}: the surviving members booked in its shard, in order (each is asked whether
     * it follows the failed master before it takes over). None if its Redis id was never known.
     */
    static List<Member> candidates(Member failed, List<Member> members) {
        if (failed.redisId() == null) {
            return List.of();
        }
        return members.stream().filter(m -> m.active() && m.id() != failed.id() && m.shard() == failed.shard())
                .toList();
    }

    private static void checkCounts(int failing, int masters) {
        if (failing < 0 || failing > masters) {
            throw new IllegalArgumentException(failing + " of " + masters + " masters cannot be failing");
        }
    }
}
