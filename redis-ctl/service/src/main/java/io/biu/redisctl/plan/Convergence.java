package io.biu.redisctl.plan;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What each member must show before a cluster counts as whole again after forming or healing. */
public final class Convergence {

    private Convergence() {
    }

    /** What one member must show. */
    public sealed interface Check {

        /** {@code cluster_state:ok}. */
        record ClusterOk() implements Check {
        }

        /** {@code cluster_state:ok}, following {@code masterId} with its replication link up. */
        record Follows(String masterId) implements Check {
            public Follows {
                Objects.requireNonNull(masterId, "masterId");
            }
        }
    }

    /**
     * The check of each of {@code members} (the instances that must converge, by id): a replica whose shard has a
     * master among them, with a known id, must follow it; anyone else need only be ok. A replica whose master failed too
     * (a lost node can take a master and another shard's replica, or two nodes a master and its replica) is only asked
     * for ok: Redis promotes it, or its shard is healed in turn, and the records follow.
     */
    public static Map<Long, Check> of(List<Member> members) {
        Map<Integer, String> masters = new HashMap<>();
        members.stream().filter(Member::master).forEach(m -> masters.put(m.shard(), m.redisId()));
        Map<Long, Check> checks = new LinkedHashMap<>();
        for (Member m : members) {
            String master = m.master() ? null : masters.get(m.shard());
            checks.put(m.id(), master == null ? new Check.ClusterOk() : new Check.Follows(master));
        }
        return checks;
    }
}
