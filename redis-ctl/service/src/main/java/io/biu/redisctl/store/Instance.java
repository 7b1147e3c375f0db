package io.biu.redisctl.store;

import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.plan.Member;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * One Redis server of a cluster: a container of the cluster's app, joined in a role (see {@link InstanceState}).
 * {@code volumeKey}: the key of the data volume its container mounts, its shard position's (see
 * {@code Naming.volumeKey}); null when its volume, if any, goes with the container.
 */
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
        InstanceState state,
        @Nullable InstanceState suspectedFrom,
        @Nullable String volumeKey) {

    public Instance withRedisId(String id) {
        return new Instance(this.id, clusterId, containerId, container, node, address, port, shard, role, id,
                createdAt, state, suspectedFrom, volumeKey);
    }

    public Instance with(InstanceState next) {
        return new Instance(id, clusterId, containerId, container, node, address, port, shard, role, redisId,
                createdAt, next, null, volumeKey);
    }

    /** A suspect now, remembering what it was (see {@link InstanceState#SUSPECT}). */
    public Instance suspected() {
        return new Instance(id, clusterId, containerId, container, node, address, port, shard, role, redisId,
                createdAt, InstanceState.SUSPECT, state, volumeKey);
    }

    /**
     * This instance, run by another container of its volume key (restarted in place, with its data): a suspect for the
     * evidence to settle, as one that answers again is.
     */
    public Instance restartedIn(long nextContainerId, String nextContainer, String nextNode, String nextAddress,
            int nextPort) {
        return new Instance(id, clusterId, nextContainerId, nextContainer, nextNode, nextAddress, nextPort, shard,
                role, redisId, createdAt, InstanceState.SUSPECT, null, volumeKey);
    }

    public Instance as(Role nextRole, int nextShard) {
        return new Instance(id, clusterId, containerId, container, node, address, port, nextShard, nextRole, redisId,
                createdAt, state, suspectedFrom, volumeKey);
    }

    /** This instance as the plan package sees it: an active member or not, booked in its role and shard. */
    public Member member() {
        return new Member(id, redisId, node, shard, role == Role.MASTER ? Member.Role.MASTER : Member.Role.REPLICA,
                state == InstanceState.ACTIVE);
    }

    public String hostPort() {
        return address + ":" + port;
    }
}
