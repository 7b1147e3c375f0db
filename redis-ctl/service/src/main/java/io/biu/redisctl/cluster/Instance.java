package io.biu.redisctl.cluster;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** One Redis server of a cluster: a container of the cluster's app, joined in a role. */
@MappedEntity("instance")
public record Instance(
        @Id @GeneratedValue @Nullable Long id,
        long clusterId,
        long containerId,
        String container,
        String node,
        String address,
        int port,
        int shard,
        Role role,
        @Nullable String redisId,
        Instant createdAt,
        State state) {

    public enum Role { MASTER, REPLICA }

    /**
     * Joining: deployed, not yet part of the cluster; draining: a master whose slots and replicas are moving
     * away, or a replica retired with it (nothing heals, adopts or offers it); removable: out of the cluster,
     * its container may be removed; failed: its container died or was lost, and healing replaces it.
     */
    public enum State { JOINING, ACTIVE, DRAINING, REMOVABLE, FAILED }

    public Instance withRedisId(String id) {
        return new Instance(this.id, clusterId, containerId, container, node, address, port, shard, role, id,
                createdAt, state);
    }

    public Instance with(State next) {
        return new Instance(id, clusterId, containerId, container, node, address, port, shard, role, redisId,
                createdAt, next);
    }

    public Instance as(Role nextRole, int nextShard) {
        return new Instance(id, clusterId, containerId, container, node, address, port, nextShard, nextRole, redisId,
                createdAt, state);
    }

    public String hostPort() {
        return address + ":" + port;
    }
}
