package io.biu.redisctl.plan;

import java.util.List;
import java.util.Objects;

/**
 * What replaces a failed instance in its shard. The replacement is deployed into the failed one's shard (and
 * anti-affinity group); what it becomes depends on what the shard has left, with roles as the cluster has them now (a
 * replica that took over is its shard's master).
 */
public sealed interface Replacement {

    /** The shard still has {@code master} (a replica took over, or the failed instance was a replica): follow it. */
    record Replica(Member master) implements Replacement {
        public Replica {
            Objects.requireNonNull(master, "master");
            if (!master.master()) {
                throw new IllegalArgumentException("instance " + master.id() + " is no master");
            }
        }
    }

    /**
     * The shard has no member left: an incident. The replacement becomes the shard's master and serves its slots again
     * ({@link SlotPlan#lost}), empty: what they held was lost with the shard.
     */
    record Master(int shard) implements Replacement {
    }

    /**
     * The replacement of {@code failed}: a replica of the first surviving (active) member booked as its shard's master,
     * or, if there is none, the shard's new master.
     */
    static Replacement of(Member failed, List<Member> members) {
        return members.stream()
                .filter(m -> m.active() && m.id() != failed.id() && m.shard() == failed.shard() && m.master())
                .findFirst().<Replacement>map(Replica::new).orElseGet(() -> new Master(failed.shard()));
    }
}
