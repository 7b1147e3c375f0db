package io.biu.redisctl.plan;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Redis instance of a cluster as redis-ctl has it booked: the role and shard it was last known in, on which node,
 * and whether it is an active member (not joining, leaving or failed). What the cluster says of it now is in a
 * {@link Topology}, under {@code redisId}.
 *
 * @param redisId its CLUSTER MYID; null until it is known
 * @param shard   the shard (master and replicas) it is booked in; -1 for a replica that joined and follows no one yet
 */
public record Member(long id, String redisId, String node, int shard, Role role, boolean active) {

    public enum Role { MASTER, REPLICA }

    public Member {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(role, "role");
        if (shard < -1) {
            throw new IllegalArgumentException("instance " + id + " is booked in shard " + shard);
        }
        if (redisId != null && redisId.isBlank()) {
            throw new IllegalArgumentException("instance " + id + " has a blank Redis id");
        }
    }

    public boolean master() {
        return role == Role.MASTER;
    }

    /** The same member, booked in {@code next} role. */
    public Member as(Role next) {
        return new Member(id, redisId, node, shard, next, active);
    }

    /** The member whose Redis id is {@code redisId}, if any. */
    public static Optional<Member> byRedisId(List<Member> members, String redisId) {
        return members.stream().filter(m -> redisId != null && redisId.equals(m.redisId())).findFirst();
    }
}
